package org.mictlanx.server;

import org.eclipse.jetty.server.Handler;
import org.mictlanx.router.BallStore;
import org.mictlanx.s3.IdentityAuthorizer;
import org.mictlanx.s3.S3Config;
import org.mictlanx.s3.S3FrontDoor;
import org.mictlanx.xolo.identity.Authorizer;
import org.mictlanx.xolo.identity.UserRegistry;
import org.mictlanx.xolo.sigv4.SigV4Verifier;

/** Builds the S3 front door handler from the server settings. */
final class FrontDoorWiring {

    private FrontDoorWiring() {
    }

    /** The store's region (setting {@code region}, default {@code us-east-1}): the SigV4 scope must name it. */
    static String region(Settings s) {
        return s.get("region", "us-east-1");
    }

    static Handler s3Handler(BallStore store, SigV4Verifier verifier, UserRegistry users, Settings s) {
        S3Config config = new S3Config(s.get("base-domain").orElse(null), region(s));
        return S3FrontDoor.handler(store, verifier, new IdentityAuthorizer(users::principalFor, new Authorizer()), config);
    }
}
