package org.mictlanx.s3;

import java.util.regex.Pattern;

/** S3's general-purpose bucket naming rules. */
public final class BucketNames {

    private static final Pattern SHAPE = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    /** What may appear in an addressed (possibly legacy) bucket name; anything else cannot exist. */
    private static final Pattern ADDRESSABLE = Pattern.compile("[A-Za-z0-9._-]{1,255}");

    private BucketNames() {
    }

    /**
     * Whether {@code name} may be created: 3 to 63 characters of lower-case letters, digits, dots and
     * hyphens, starting and ending with a letter or digit, no adjacent dots, not an IPv4 address, and
     * none of the reserved prefixes and suffixes.
     */
    public static boolean isValidForCreate(String name) {
        return name != null
                && SHAPE.matcher(name).matches()
                && !name.contains("..")
                && !IPV4.matcher(name).matches()
                && !name.startsWith("xn--")
                && !name.startsWith("sthree-")
                && !name.startsWith("amzn-s3-demo-")
                && !name.endsWith("-s3alias")
                && !name.endsWith("--ol-s3")
                && !name.endsWith(".mrap")
                && !name.endsWith("--x-s3")
                && !name.endsWith("--table-s3");
    }

    /** Whether {@code name} could name an existing bucket at all (looser than creation rules). */
    public static boolean isAddressable(String name) {
        return name != null && ADDRESSABLE.matcher(name).matches();
    }
}
