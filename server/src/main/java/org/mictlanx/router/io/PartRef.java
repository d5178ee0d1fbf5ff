package org.mictlanx.router.io;

/**
 * A multipart upload's part a segment was written for: the part record
 * {@code (_mx.parts.<uploadId>, partNumber)}. Carried with a repair report so the segment is owed
 * while that part record (or the ball completed from it) still refers to it.
 */
public record PartRef(String uploadId, int partNumber) {
}
