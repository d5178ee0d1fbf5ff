package org.mictlanx.router;

/**
 * How the stored checksums of a ball relate to its bytes.
 *
 * <ul>
 *   <li>{@link #FULL_OBJECT}: each checksum is over the whole body. Always the case for a single
 *       put; for a multipart ball only CRC32, CRC32C and CRC64NVME can be FULL_OBJECT (the router
 *       combines the parts' CRCs arithmetically, without reading data).
 *   <li>{@link #COMPOSITE}: multipart only; each checksum is the checksum of the concatenated raw
 *       checksums of the parts (in part order). S3 shows it with the suffix {@code -N} (N parts).
 *       Not available for CRC64NVME.
 * </ul>
 */
public enum ChecksumType { COMPOSITE, FULL_OBJECT }
