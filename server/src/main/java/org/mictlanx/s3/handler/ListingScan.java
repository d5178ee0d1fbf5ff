package org.mictlanx.s3.handler;

import java.util.ArrayList;
import java.util.List;

import org.mictlanx.common.S3Keys;
import org.mictlanx.router.BallInfo;
import org.mictlanx.router.BallPage;
import org.mictlanx.router.BallStore;
import org.mictlanx.router.BucketInfo;

/**
 * One listing page over the router: balls under a prefix after a start key, with keys rolled up
 * into common prefixes at the delimiter. A common prefix is skipped in one jump (the next router
 * query starts past every key it covers) instead of scanning the keys inside it. A common prefix
 * that sorts at or before {@code startAfter} was already returned by an earlier page and is skipped.
 */
final class ListingScan {

    /**
     * Balls asked of the router per call: a page of up to 1000 keys asks for one more than it returns
     * (to know whether it is truncated) in a single call.
     */
    private static final int BATCH = 1001;

    /** An entry in key order: a ball or a common prefix. */
    record Entry(BallInfo ball, String commonPrefix) {
        String sortKey() {
            return ball != null ? ball.key() : commonPrefix;
        }
    }

    /** @param last the last returned entry's key or prefix (the next page starts after it); null when empty */
    record Result(List<Entry> entries, boolean truncated, String last) {
        List<BallInfo> balls() {
            return entries.stream().filter(e -> e.ball() != null).map(Entry::ball).toList();
        }

        List<String> prefixes() {
            return entries.stream().filter(e -> e.commonPrefix() != null).map(Entry::commonPrefix).toList();
        }
    }

    private final BallStore store;

    ListingScan(BallStore store) {
        this.store = store;
    }

    Result scan(BucketInfo bucket, String prefix, String delimiter, String startAfter, int maxKeys) {
        List<Entry> out = new ArrayList<>();
        if (maxKeys == 0) {
            return new Result(out, false, null);
        }
        String cursor = startAfter == null || startAfter.isEmpty() ? null : startAfter;
        String lastPrefix = null;
        while (true) {
            int want = Math.min(BATCH, maxKeys - out.size() + 1);
            BallPage page = store.listBalls(bucket, prefix.isEmpty() ? null : prefix, cursor, want);
            for (BallInfo ball : page.balls()) {
                String key = ball.key();
                cursor = key;
                if (lastPrefix != null && key.startsWith(lastPrefix)) {
                    cursor = lastPrefix + S3Keys.PAST_PREFIX;
                    continue;
                }
                String cp = S3Keys.commonPrefix(key, prefix, delimiter);
                if (cp != null) {
                    lastPrefix = cp;
                    cursor = cp + S3Keys.PAST_PREFIX;
                    if (startAfter != null && S3Keys.compare(cp, startAfter) <= 0) {
                        continue;
                    }
                }
                if (out.size() == maxKeys) {
                    return new Result(out, true, out.getLast().sortKey());
                }
                out.add(cp != null ? new Entry(null, cp) : new Entry(ball, null));
            }
            if (!page.truncated() || page.balls().isEmpty()) {
                return new Result(out, false, out.isEmpty() ? null : out.getLast().sortKey());
            }
        }
    }

}
