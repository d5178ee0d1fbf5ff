package org.mictlanx.router;

/** Digests the router can compute over a ball's plaintext while streaming it. MD5 is always computed (it is the ETag). */
public enum Digest {
    MD5, SHA256, SHA1, CRC32, CRC32C, CRC64NVME
}
