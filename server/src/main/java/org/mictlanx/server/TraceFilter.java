package org.mictlanx.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which requests a trace subscriber wants. Each criterion is a set of accepted values (empty: any); a
 * request must pass every criterion.
 *
 * @param buckets    bucket names
 * @param statuses   exact statuses ({@code 403}) or classes ({@code 5xx}), as given
 * @param users      user names or access key ids
 * @param operations AWS action names (e.g. {@code GetObject}), compared ignoring case
 */
public record TraceFilter(Set<String> buckets, Set<String> statuses, Set<String> users, Set<String> operations) {

    /** Accepts every request. */
    public static final TraceFilter ALL = new TraceFilter(Set.of(), Set.of(), Set.of(), Set.of());

    public TraceFilter {
        buckets = Set.copyOf(buckets);
        statuses = Set.copyOf(statuses);
        users = Set.copyOf(users);
        operations = operations.stream().map(o -> o.toLowerCase(Locale.ROOT)).collect(java.util.stream.Collectors.toUnmodifiableSet());
        for (String s : statuses) {
            if (!s.matches("[1-5][0-9][0-9]|[1-5]xx")) {
                throw new IllegalArgumentException("status must be a status (403) or a class (5xx), got '" + s + "'");
            }
        }
    }

    /**
     * From comma-separated lists (each may be null: any), e.g. {@code parse("photos", "4xx,500", null, null)}.
     *
     * @throws IllegalArgumentException for a status that is neither {@code NNN} nor {@code Nxx}
     */
    public static TraceFilter parse(String buckets, String statuses, String users, String operations) {
        return new TraceFilter(list(buckets), list(statuses == null ? null : statuses.toLowerCase(Locale.ROOT)), list(users), list(operations));
    }

    private static Set<String> list(String csv) {
        if (csv == null || csv.isBlank()) return Set.of();
        List<String> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            if (!s.isBlank()) out.add(s.strip());
        }
        return Set.copyOf(out);
    }

    /** Whether the event passes every criterion. */
    public boolean matches(TraceEvent e) {
        if (!buckets.isEmpty() && (e.bucket() == null || !buckets.contains(e.bucket()))) return false;
        if (!users.isEmpty() && !(e.user() != null && users.contains(e.user()) || e.accessKey() != null && users.contains(e.accessKey()))) {
            return false;
        }
        if (!operations.isEmpty() && !operations.contains(e.operation().toLowerCase(Locale.ROOT))) return false;
        return statuses.isEmpty() || statuses.contains(Integer.toString(e.status())) || statuses.contains((e.status() / 100) + "xx");
    }
}
