package org.mictlanx.peer.http;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class BodyDigestTest {
    final RequestSigner signer = new RequestSigner("digest-test-secret");

    static byte[] bytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    @Test
    void smallBodiesAreSha256LargeOnesAKeyedAesGcmTag() {
        String n = signer.newNonce();
        byte[] small = bytes(BodyDigest.GCM_MIN_BYTES - 1), large = bytes(BodyDigest.GCM_MIN_BYTES);
        assertEquals("sha256=" + RequestSigner.sha256Hex(small), signer.bodyDigest(n, BodyDigest.Direction.REQUEST, small, 0, small.length));
        String tag = signer.bodyDigest(n, BodyDigest.Direction.REQUEST, large, 0, large.length);
        assertTrue(tag.matches("aes-gcm=[0-9a-f]{32}"), tag);
        assertEquals(tag, signer.bodyDigest(n, BodyDigest.Direction.REQUEST, large, 0, large.length), "deterministic");
        assertNotEquals(tag, signer.bodyDigest(signer.newNonce(), BodyDigest.Direction.REQUEST, large, 0, large.length), "keyed by the nonce");
        assertNotEquals(tag, signer.bodyDigest(n, BodyDigest.Direction.RESPONSE, large, 0, large.length), "and by the direction");
        assertNotEquals(tag, new RequestSigner("other-secret").bodyDigest(n, BodyDigest.Direction.REQUEST, large, 0, large.length),
                "and by the cluster secret");
        assertEquals(RequestSigner.EMPTY_DIGEST, signer.bodyDigest(n, BodyDigest.Direction.REQUEST, new byte[0], 0, 0));
    }

    @Test
    void aVerifierFedInPiecesFromDirectBuffersAgreesAndCatchesOneFlippedBit() {
        String n = signer.newNonce();
        byte[] body = bytes(3 << 20 | 5);
        String declared = signer.bodyDigest(n, BodyDigest.Direction.REQUEST, body, 0, body.length);
        BodyDigest v = signer.verifierOf(n, BodyDigest.Direction.REQUEST, declared);
        for (int off = 0; off < body.length; off += 100_000) {
            int len = Math.min(100_000, body.length - off);
            ByteBuffer direct = ByteBuffer.allocateDirect(len).put(body, off, len).flip();
            v.update(direct);
            assertEquals(len, direct.remaining(), "not consumed");
        }
        assertTrue(v.matches(declared));
        body[body.length / 2] ^= 0x10;
        BodyDigest w = signer.verifierOf(n, BodyDigest.Direction.REQUEST, declared);
        w.update(body, 0, body.length);
        assertFalse(w.matches(declared));
        assertThrows(org.mictlanx.peer.api.PeerException.class, () -> signer.verifierOf(n, BodyDigest.Direction.REQUEST, "md5=abc"));
    }
}
