package org.mictlanx.s3.notify;

import java.io.IOException;

/**
 * Where events are delivered: the extension point for target kinds. A webhook ({@link WebhookTarget})
 * is built in; a queue (Kafka, NATS, ...) implements this interface and is registered in
 * {@link NotificationTargets} under its own ARN ({@code arn:mictlanx:sqs::ID:kafka}, ...).
 * {@link #deliver} is called by one sender thread at a time, in queue order per target, and again
 * for the same event after any failure (delivery is at least once: a receiver may see an event
 * twice and should deduplicate on {@code s3.object.sequencer} and key).
 */
public interface EventTarget {

    /** The ARN configurations name this target by. */
    String arn();

    /** Delivers one event document (S3's JSON: {@code {"Records":[...]}}); returns normally only once accepted. */
    void deliver(byte[] eventJson) throws IOException;
}
