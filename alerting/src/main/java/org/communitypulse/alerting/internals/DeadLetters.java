package org.communitypulse.alerting.internals;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.communitypulse.schemas.DeadLetterHeaders;

/**
 * Writes alerts that a receiver refused for good to the dead-letter topic: the original key and value bytes,
 * the reason in {@link DeadLetterHeaders}, and the receiver in {@value #RECEIVER}.
 */
public final class DeadLetters {

    /** Header naming the receiver that refused the alert. */
    public static final String RECEIVER = "pulse.dlq.receiver";
    /** {@link DeadLetterHeaders#REJECTED_BY} value of this service. */
    public static final String REJECTED_BY = "alerts.delivery";

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final Duration timeout;

    public DeadLetters(Producer<byte[], byte[]> producer, String topic, Duration timeout) {
        this.producer = producer;
        this.topic = topic;
        this.timeout = timeout;
    }

    public String topic() {
        return topic;
    }

    /**
     * Writes one dead letter and waits for the broker's acknowledgement.
     *
     * @return true when stored; false when Kafka did not acknowledge in time (the caller retries)
     */
    public boolean publish(ConsumerRecord<byte[], byte[]> source, String receiver, String reason, String detail)
            throws InterruptedException {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null, source.timestamp(), source.key(),
                source.value());
        DeadLetterHeaders.put(record.headers(), DeadLetterHeaders.REASON, reason);
        DeadLetterHeaders.put(record.headers(), DeadLetterHeaders.DETAIL, detail);
        DeadLetterHeaders.put(record.headers(), DeadLetterHeaders.SOURCE_TOPIC, source.topic());
        DeadLetterHeaders.put(record.headers(), DeadLetterHeaders.SOURCE_PARTITION, Integer.toString(source.partition()));
        DeadLetterHeaders.put(record.headers(), DeadLetterHeaders.SOURCE_OFFSET, Long.toString(source.offset()));
        DeadLetterHeaders.put(record.headers(), DeadLetterHeaders.REJECTED_BY, REJECTED_BY);
        DeadLetterHeaders.put(record.headers(), RECEIVER, receiver);
        try {
            producer.send(record).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            return false;
        }
    }
}
