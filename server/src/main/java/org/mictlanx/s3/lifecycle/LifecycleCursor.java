package org.mictlanx.s3.lifecycle;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * Where a lifecycle pass stands, persisted after every page so a worker that stops (or a router
 * that takes the lease over) continues there: the pass's start, the bucket (null: before the first),
 * the phase within it and that phase's markers. For the version phase it also carries the state of
 * the key being walked (the newer version's time, how many noncurrent versions are newer), so a
 * key whose versions span pages is judged the same after a restart.
 */
record LifecycleCursor(long passStarted, String bucket, Phase phase, String marker, String uploadIdMarker,
                       String versionKey, long successorMillis, int newerNoncurrent) {

    /** The phases of one bucket, in order. */
    enum Phase { CURRENT, VERSIONS, UPLOADS }

    static LifecycleCursor start(long now) {
        return new LifecycleCursor(now, null, Phase.CURRENT, null, null, null, 0, 0);
    }

    /** The start of {@code bucket}'s first phase. */
    LifecycleCursor atBucket(String name) {
        return new LifecycleCursor(passStarted, name, Phase.CURRENT, null, null, null, 0, 0);
    }

    /** The start of {@code next} in the same bucket. */
    LifecycleCursor atPhase(Phase next) {
        return new LifecycleCursor(passStarted, bucket, next, null, null, null, 0, 0);
    }

    LifecycleCursor after(String newMarker, String newUploadIdMarker) {
        return new LifecycleCursor(passStarted, bucket, phase, newMarker, newUploadIdMarker, versionKey, successorMillis,
                newerNoncurrent);
    }

    LifecycleCursor withKeyState(String key, long successor, int newer) {
        return new LifecycleCursor(passStarted, bucket, phase, marker, uploadIdMarker, key, successor, newer);
    }

    /** A short description for stats: {@code bucket/phase/marker}. */
    String describe() {
        return bucket == null ? "" : bucket + "/" + phase.name().toLowerCase(java.util.Locale.ROOT) + (marker == null ? "" : "/" + marker);
    }

    byte[] encode() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(1);
            out.writeLong(passStarted);
            writeNullable(out, bucket);
            out.writeByte(phase.ordinal());
            writeNullable(out, marker);
            writeNullable(out, uploadIdMarker);
            writeNullable(out, versionKey);
            out.writeLong(successorMillis);
            out.writeInt(newerNoncurrent);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The cursor encoded in {@code value}; empty for an unknown format (the pass restarts). */
    static Optional<LifecycleCursor> decode(byte[] value) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(value));
            if (in.readByte() != 1) return Optional.empty();
            return Optional.of(new LifecycleCursor(in.readLong(), readNullable(in), Phase.values()[in.readByte()],
                    readNullable(in), readNullable(in), readNullable(in), in.readLong(), in.readInt()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static void writeNullable(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) out.writeUTF(s);
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
