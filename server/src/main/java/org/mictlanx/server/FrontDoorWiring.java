package org.mictlanx.server;

import java.time.Duration;

import org.eclipse.jetty.server.Handler;
import org.mictlanx.router.BallStore;
import org.mictlanx.router.io.BufferBudget;
import org.mictlanx.s3.Authorizer;
import org.mictlanx.s3.S3Config;
import org.mictlanx.s3.S3FrontDoor;
import org.mictlanx.xolo.identity.UserRegistry;
import org.mictlanx.xolo.policy.AccessControl;
import org.mictlanx.xolo.policy.PolicyStore;
import org.mictlanx.xolo.sigv4.SigV4Verifier;

/** Builds the S3 front door handler, its limits (timeouts, request buffer budget) from the server settings. */
final class FrontDoorWiring {

    private FrontDoorWiring() {
    }

    /** The store's region (setting {@code region}, default {@code us-east-1}): the SigV4 scope must name it. */
    static String region(Settings s) {
        return s.get("region", "us-east-1");
    }

    static Handler s3Handler(BallStore store, SigV4Verifier verifier, UserRegistry users, PolicyStore policies, Settings s,
                             BufferBudget budget) {
        S3Config config = new S3Config(s.get("base-domain").orElse(null), region(s));
        return S3FrontDoor.handler(S3FrontDoor.create(store, verifier,
                new Authorizer(users::principalFor, new AccessControl(policies)), config, budget));
    }

    /** {@code buffer-budget} (bytes, default a quarter of the heap) and {@code buffer-wait-ms} (default 2000). */
    static BufferBudget budget(Settings s) {
        long capacity = s.getBytes("buffer-budget", BufferBudget.defaultCapacity());
        int waitMs = s.getInt("buffer-wait-ms", (int) BufferBudget.DEFAULT_WAIT.toMillis());
        if (capacity <= 0) throw new IllegalArgumentException("--buffer-budget must be positive");
        if (waitMs < 0) throw new IllegalArgumentException("--buffer-wait-ms must not be negative");
        return new BufferBudget(capacity, Duration.ofMillis(waitMs));
    }

    /** {@code header-timeout-seconds} (default 20) and {@code idle-timeout-seconds} (default 30). */
    static HttpFront.Timeouts timeouts(Settings s) {
        int header = s.getInt("header-timeout-seconds", (int) HttpFront.Timeouts.DEFAULTS.header().toSeconds());
        int idle = s.getInt("idle-timeout-seconds", (int) HttpFront.Timeouts.DEFAULTS.idle().toSeconds());
        if (header < 1 || idle < 1) throw new IllegalArgumentException("--header-timeout-seconds and --idle-timeout-seconds must be at least 1");
        return new HttpFront.Timeouts(Duration.ofSeconds(header), Duration.ofSeconds(idle));
    }
}
