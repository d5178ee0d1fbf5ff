package org.mictlanx.xolo.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.mictlanx.router.MetaTable;

/**
 * The access metadata stores' records in a {@link MetaTable} (users and keys, groups, policies and
 * ACLs): every record is a Jackson JSON document, read ignoring unknown fields so older servers read
 * newer records, and a partition is scanned whole, page by page. A record that does not parse is an
 * {@link UncheckedIOException} naming what kind of record it was. Thread-safe.
 */
public final class MetaRecords {

    /** Entries per scan request. */
    private static final int PAGE = 1000;

    private final MetaTable table;
    private final String kind;
    private final ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** @param kind what the records are, for the error of a corrupt one (e.g. {@code "group"}) */
    public MetaRecords(MetaTable table, String kind) {
        this.table = table;
        this.kind = kind;
    }

    /** Every entry of {@code partition} whose sort key starts with {@code prefix}, in sort-key order. */
    public List<MetaTable.Entry> scan(String partition, String prefix) {
        List<MetaTable.Entry> out = new ArrayList<>();
        String after = "";
        while (true) {
            List<MetaTable.Entry> page = table.scan(partition, prefix, after, PAGE);
            out.addAll(page);
            if (page.size() < PAGE) {
                return out;
            }
            after = page.get(page.size() - 1).sortKey();
        }
    }

    /** The sort keys of {@link #scan} with {@code prefix} cut off. */
    public List<String> suffixes(String partition, String prefix) {
        return scan(partition, prefix).stream().map(e -> e.sortKey().substring(prefix.length())).toList();
    }

    /** The JSON bytes of a record. */
    public byte[] write(Object value) {
        try {
            return json.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A record read back; a corrupt one is an UncheckedIOException. */
    public <T> T read(byte[] value, Class<T> type) {
        try {
            return json.readValue(value, type);
        } catch (IOException e) {
            throw new UncheckedIOException("a corrupt " + kind + " record", e);
        }
    }
}
