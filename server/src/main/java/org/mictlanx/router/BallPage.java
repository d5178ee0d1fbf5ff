package org.mictlanx.router;

import java.util.List;

/** One page of a ball listing; {@code truncated} when more balls follow the last one. */
public record BallPage(List<BallInfo> balls, boolean truncated) {
    public BallPage {
        balls = List.copyOf(balls);
    }
}
