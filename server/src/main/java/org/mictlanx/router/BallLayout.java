package org.mictlanx.router;

/** Marker for the router's private description of a ball's chunks and keys (opaque outside the router). */
public interface BallLayout {
}
