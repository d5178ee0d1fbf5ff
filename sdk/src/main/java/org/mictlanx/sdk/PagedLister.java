package org.mictlanx.sdk;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.jspecify.annotations.Nullable;

/**
 * A lazy iterator over an S3 listing fetched page by page: the next page is requested only when the
 * previous one is used up, until a page says it is the last. Subclasses build each page's query from
 * their markers and read its entries and next markers. Not thread-safe (an iterator).
 *
 * @param <T> the entry type
 */
abstract class PagedLister<T> implements Iterator<T> {

    private final ArrayDeque<T> page = new ArrayDeque<>();
    private boolean exhausted;

    /** One fetched page: its entries in order and whether another page follows. */
    record Page<E>(List<E> entries, boolean more) {
    }

    /** Fetches the next page; {@code more} false ends the listing. */
    abstract Page<T> fetch();

    /** Puts {@code value} in {@code query} unless it is null or empty. */
    static void putIfPresent(Map<String, String> query, String name, @Nullable String value) {
        if (value != null && !value.isEmpty()) {
            query.put(name, value);
        }
    }

    @Override
    public final boolean hasNext() {
        while (page.isEmpty() && !exhausted) {
            Page<T> next = fetch();
            page.addAll(next.entries());
            exhausted = !next.more();
        }
        return !page.isEmpty();
    }

    @Override
    public final T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return page.poll();
    }
}
