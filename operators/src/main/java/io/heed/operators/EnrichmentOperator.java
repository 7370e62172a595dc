package io.heed.operators;

import io.heed.models.TextAnalysis;
import io.heed.models.TextModel;
import io.heed.schemas.DeadLetter;
import io.heed.schemas.DeadLetterReason;
import io.heed.schemas.EnrichedText;
import io.heed.schemas.TextEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Decodes and validates {@link RawRecord}s, gathers valid ones into micro-batches, runs the model once per batch and
 * emits {@link EnrichedText}; anything it cannot enrich goes to {@link HeedEnrichment#DEAD_LETTERS}.
 *
 * <p>Exactly-once: the batch buffer is never part of a checkpoint. It is flushed before every checkpoint barrier
 * ({@link #prepareSnapshotPreBarrier}), so a checkpoint covers exactly the records already emitted, and a restore
 * replays from the source only records the checkpoint did not see. Watermarks that arrive while records are buffered
 * are held back until those records are emitted, so batching never makes a record late.
 *
 * <p>All methods run on the task's mailbox thread (timers included), so no locking is needed.
 */
final class EnrichmentOperator extends AbstractStreamOperator<EnrichedText>
        implements OneInputStreamOperator<RawRecord, EnrichedText>, BoundedOneInput {
    private static final long serialVersionUID = 1L;

    private final EnrichmentSettings settings;

    private transient TextModel model;
    private transient TextEventDecoder decoder;
    private transient InputValidation validation;
    private transient OutputRecords outputRecords;
    private transient EnrichmentMetrics metrics;
    private transient List<Pending> buffer;
    private transient Watermark heldWatermark;
    /** Counts flushes, so a timer set for an earlier batch does not flush a later one early. */
    private transient long batchNumber;

    private record Pending(RawRecord raw, TextEvent event, long timestamp, boolean hasTimestamp) {}

    EnrichmentOperator(EnrichmentSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open() throws Exception {
        super.open();
        // Loading fails loudly here (missing or mismatched model files) instead of per record later.
        model = TextModel.load(settings.model());
        decoder = settings.inputFormat().newDecoder();
        validation = new InputValidation(settings.maxTextBytes());
        outputRecords = new OutputRecords(model.info());
        buffer = new ArrayList<>(settings.maxBatchSize());
        metrics = new EnrichmentMetrics(getMetricGroup(), () -> buffer.size());
        LOG.info("Heed enrichment open: {} ({}), {}", model.info().modelId(), model.info().device(), settings);
    }

    @Override
    public void processElement(StreamRecord<RawRecord> element) throws Exception {
        metrics.recordsIn.inc();
        RawRecord raw = element.getValue();
        if (raw.payload == null) {
            deadLetter(raw, null, new Rejection(DeadLetterReason.UNDECODABLE, "payload is null", Rejection.DECODE));
            return;
        }
        TextEvent event;
        try {
            event = decoder.decode(raw.payload);
        } catch (TextEventDecoder.DecodeException e) {
            deadLetter(raw, null, new Rejection(DeadLetterReason.UNDECODABLE, e.getMessage(), Rejection.DECODE));
            return;
        }
        Optional<Rejection> rejection = validation.check(event);
        if (rejection.isPresent()) {
            deadLetter(raw, event.getId(), rejection.get());
            return;
        }
        buffer.add(new Pending(raw, event, element.getTimestamp(), element.hasTimestamp()));
        if (buffer.size() >= settings.maxBatchSize()) {
            flush();
        } else if (buffer.size() == 1) {
            long batch = batchNumber;
            long deadline = getProcessingTimeService().getCurrentProcessingTime() + settings.maxBatchWait().toMillis();
            getProcessingTimeService().registerTimer(deadline, time -> {
                if (batchNumber == batch) {
                    flush();
                }
            });
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (buffer.isEmpty()) {
            super.processWatermark(mark);
        } else {
            heldWatermark = mark;
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flush();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void endInput() throws Exception {
        flush();
    }

    @Override
    public void finish() throws Exception {
        flush();
        super.finish();
    }

    @Override
    public void close() throws Exception {
        try {
            if (model != null) {
                model.close();
            }
        } finally {
            super.close();
        }
    }

    private void flush() throws Exception {
        if (buffer.isEmpty()) {
            return;
        }
        batchNumber++;
        List<Pending> batch = new ArrayList<>(buffer);
        buffer.clear();
        List<String> texts = new ArrayList<>(batch.size());
        for (Pending pending : batch) {
            texts.add(pending.event().getText());
        }
        long start = System.nanoTime();
        List<TextAnalysis> results;
        try {
            results = model.analyze(texts);
        } catch (RuntimeException batchFailure) {
            LOG.warn("Batch of {} failed in the model; retrying its records one by one", batch.size(), batchFailure);
            results = null;
        }
        long elapsedNanos = System.nanoTime() - start;
        metrics.batchSize.update(batch.size());
        metrics.inferenceLatencyMs.update(elapsedNanos / 1_000_000);
        Instant now = Instant.now();
        float perRecordMs = elapsedNanos / 1e6f / batch.size();
        for (int i = 0; i < batch.size(); i++) {
            Pending pending = batch.get(i);
            TextAnalysis analysis = results != null ? results.get(i) : analyzeAlone(pending);
            if (analysis == null) {
                continue;
            }
            EnrichedText enriched = outputRecords.enriched(pending.event(), analysis, perRecordMs, now);
            output.collect(pending.hasTimestamp()
                    ? new StreamRecord<>(enriched, pending.timestamp())
                    : new StreamRecord<>(enriched));
            metrics.recordsEnriched.inc();
        }
        if (heldWatermark != null) {
            Watermark mark = heldWatermark;
            heldWatermark = null;
            super.processWatermark(mark);
        }
    }

    /** Isolates a record that made its batch fail: enriched alone, or dead-lettered with the model's error. */
    private TextAnalysis analyzeAlone(Pending pending) {
        try {
            return model.analyze(List.of(pending.event().getText())).get(0);
        } catch (RuntimeException e) {
            deadLetter(pending.raw(), pending.event().getId(),
                    new Rejection(DeadLetterReason.INFERENCE_FAILED, String.valueOf(e), Rejection.INFERENCE));
            return null;
        }
    }

    private void deadLetter(RawRecord raw, String id, Rejection rejection) {
        DeadLetter deadLetter = OutputRecords.deadLetter(raw, id, rejection, Instant.now());
        output.collect(HeedEnrichment.DEAD_LETTERS, new StreamRecord<>(deadLetter));
        metrics.deadLettered(rejection.reason());
    }
}
