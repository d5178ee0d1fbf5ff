package org.mictlanx.xolo.policy;

/**
 * IAM wildcard matching: {@code *} matches any run of characters (none included), {@code ?} any one
 * character; everything else literally. Linear-time greedy matching with backtracking to the last
 * star, no allocation.
 */
public final class Wildcard {

    private Wildcard() {
    }

    /** Whether {@code value} matches {@code pattern}; {@code ignoreCase} for action names. */
    public static boolean matches(String pattern, String value, boolean ignoreCase) {
        int p = 0;
        int v = 0;
        int star = -1;
        int mark = 0;
        while (v < value.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || same(pattern.charAt(p), value.charAt(v), ignoreCase))) {
                p++;
                v++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                mark = v;
            } else if (star >= 0) {
                p = star + 1;
                v = ++mark;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    private static boolean same(char a, char b, boolean ignoreCase) {
        return a == b || ignoreCase && Character.toLowerCase(a) == Character.toLowerCase(b);
    }
}
