/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

import io.heed.models.InferenceDevice;
import io.heed.models.TextAnalysis;
import io.heed.models.encoder.TokenizedText;
import io.heed.schemas.DeadLetter;
import io.heed.schemas.DeadLetterReason;
import io.heed.schemas.EnrichedText;
import io.heed.schemas.TextEvent;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.serialization.RuntimeContextInitializationContextAdapters;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.YieldingOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamElementSerializer;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Decodes and validates {@link RawRecord}s, gathers valid ones into micro-batches of similar length, runs the shared
 * model on each batch off the task thread and emits {@link EnrichedText}; anything it cannot enrich goes to
 * {@link HeedEnrichment#DEAD_LETTERS}.
 *
 * <p>Batching: records go to length buckets ({@link LengthBucketedBatcher}); a bucket becomes a batch when it reaches
 * the record or token budget, and every bucket is flushed when the oldest buffered record has waited the maximum
 * wait. Records of different lengths may therefore leave in a different order than they arrived.
 *
 * <p>Asynchronous: batches run on the TaskManager's shared inference thread ({@link SharedModel}) while this task
 * keeps decoding and batching. Results come back through the task's mailbox, so every method of this class still runs
 * on the task thread and needs no locks. At most {@code maxInFlightBatches} batches are in flight; a task that would
 * exceed that waits (processing mail) instead of reading more input, so back-pressure reaches the source.
 *
 * <p>Exactly-once: a checkpoint holds the records that are buffered or in the model at its barrier, as they came in
 * ({@link RawRecord}s with their timestamps, in operator state), as Flink's own async I/O operator does; the barrier
 * does not wait for the model. Their results, emitted after the barrier, belong to the next checkpoint: a restore from
 * this one enriches them again (their first results were in a transaction that is aborted), and the source replays
 * only records this operator had not seen. Why not flush and wait at the barrier instead (as Heed did): every
 * checkpoint then sent part-filled batches and left the model idle while the last of them ran, which at a 1 s interval
 * cost a sixth of the full job's throughput. At the end of a bounded input everything is flushed and awaited.
 * Watermarks are held back until every record that arrived before them has been emitted, so batching never makes a
 * record late.
 */
final class EnrichmentOperator extends AbstractStreamOperator<EnrichedText>
        implements OneInputStreamOperator<RawRecord, EnrichedText>, BoundedOneInput, YieldingOperator<EnrichedText> {
    private static final long serialVersionUID = 1L;
    /** Operator state: the records buffered or in the model at a checkpoint. */
    static final String UNFINISHED_STATE = "heed-unfinished-records";

    private final EnrichmentSettings settings;

    private transient MailboxExecutor mailbox;
    private transient SharedModel.Lease model;
    private transient DeserializationSchema<TextEvent> input;
    private transient InputValidation validation;
    private transient OutputRecords outputRecords;
    private transient EnrichmentMetrics metrics;
    private transient LengthBucketedBatcher<Pending> batcher;
    private transient int inFlightBatches;
    /**
     * Every record buffered or in flight, by arrival number: what a checkpoint holds, and the smallest number bounds
     * which watermarks may pass.
     */
    private transient TreeMap<Long, Pending> unfinished;
    /** The records a checkpoint held (see the class comment); read back and enriched again on restore. */
    private transient ListState<StreamRecord<RawRecord>> unfinishedState;

    private transient ArrayDeque<HeldWatermark> heldWatermarks;
    private transient long nextSequence;
    /** Counts the times the batcher ran empty, so a deadline timer set for earlier records does nothing later. */
    private transient long bufferGeneration;

    private transient RecordFailures recordFailures;

    /** A record waiting for the model; {@code tokens} is its text, tokenised once for batching and for the model. */
    private record Pending(
            long sequence,
            RawRecord raw,
            TextEvent event,
            TokenizedText tokens,
            long timestamp,
            boolean hasTimestamp) {}

    /** A watermark that may pass once every record numbered below {@code firstLaterSequence} is emitted. */
    private record HeldWatermark(Watermark mark, long firstLaterSequence) {}

    /** Where an operator instance gets its model: the TaskManager's shared one, or a test's. */
    interface ModelSource extends java.io.Serializable {
        SharedModel.Lease acquire(io.heed.models.ModelSpec spec);
    }

    private final ModelSource models;

    EnrichmentOperator(EnrichmentSettings settings) {
        this(settings, SharedModel::acquire);
    }

    EnrichmentOperator(EnrichmentSettings settings, ModelSource models) {
        this.settings = settings;
        this.models = models;
    }

    @Override
    public void setMailboxExecutor(MailboxExecutor mailboxExecutor) {
        this.mailbox = mailboxExecutor;
    }

    @Override
    public void open() throws Exception {
        super.open();
        // Loading fails loudly here (missing or mismatched model files) instead of per record later.
        InferenceDevice device = DeviceSelection.select(
                settings.device(),
                getRuntimeContext().getExternalResourceInfos(DeviceSelection.GPU_RESOURCE),
                getRuntimeContext().getTaskInfo().getIndexOfThisSubtask());
        model = models.acquire(settings.model().toBuilder().device(device).build());
        input = settings.input();
        input.open(RuntimeContextInitializationContextAdapters.deserializationAdapter(
                getRuntimeContext(), group -> group.addGroup("input")));
        validation = new InputValidation(settings.maxTextBytes());
        outputRecords = new OutputRecords(model.info());
        batcher = new LengthBucketedBatcher<>(settings.maxBatchSize(), settings.maxBatchTokens());
        unfinished = new TreeMap<>();
        heldWatermarks = new ArrayDeque<>();
        recordFailures = new RecordFailures();
        metrics = new EnrichmentMetrics(getMetricGroup(), () -> batcher.size(), () -> inFlightBatches);
        LOG.info(
                "Heed enrichment open: {} on {} (device {}: chose {}), {}",
                model.info().modelId(),
                model.info().device(),
                settings.device(),
                device,
                settings);
        enrichRestoredRecords();
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        TypeSerializer<RawRecord> records = TypeInformation.of(RawRecord.class)
                .createSerializer(getExecutionConfig().getSerializerConfig());
        @SuppressWarnings({"unchecked", "rawtypes"})
        TypeSerializer<StreamRecord<RawRecord>> elements = (TypeSerializer) new StreamElementSerializer<>(records);
        unfinishedState =
                context.getOperatorStateStore().getListState(new ListStateDescriptor<>(UNFINISHED_STATE, elements));
    }

    /** Enriches the records a restored checkpoint held, before any new input (called at the end of open()). */
    private void enrichRestoredRecords() throws Exception {
        List<StreamRecord<RawRecord>> restored = new ArrayList<>();
        unfinishedState.get().forEach(restored::add);
        if (!restored.isEmpty()) {
            LOG.info(
                    "Enriching {} records that were buffered or in the model at the restored checkpoint",
                    restored.size());
        }
        for (StreamRecord<RawRecord> record : restored) {
            processElement(record);
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        List<StreamRecord<RawRecord>> held = new ArrayList<>(unfinished.size());
        for (Pending pending : unfinished.values()) {
            held.add(
                    pending.hasTimestamp()
                            ? new StreamRecord<>(pending.raw(), pending.timestamp())
                            : new StreamRecord<>(pending.raw()));
        }
        unfinishedState.update(held);
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
            event = input.deserialize(raw.payload);
        } catch (SystemicInputFault e) {
            throw e; // not this record's fault: restart from the checkpoint instead of dead-lettering the stream
        } catch (Exception e) {
            String reason = e.getMessage() == null ? e.toString() : e.getMessage();
            deadLetter(raw, null, new Rejection(DeadLetterReason.UNDECODABLE, reason, Rejection.DECODE));
            return;
        }
        if (event == null) {
            deadLetter(
                    raw,
                    null,
                    new Rejection(
                            DeadLetterReason.UNDECODABLE,
                            "the input deserializer (" + input + ") returned no record",
                            Rejection.DECODE));
            return;
        }
        Optional<Rejection> rejection = validation.check(event);
        if (rejection.isPresent()) {
            deadLetter(raw, event.getId(), rejection.get());
            return;
        }
        // The model and the output get the same text, and the tokenizer's char offsets stay inside it.
        event.setText(UnpairedSurrogates.replace(event.getText()));
        Pending pending = new Pending(
                nextSequence++,
                raw,
                event,
                model.tokenize(event.getText()),
                element.getTimestamp(),
                element.hasTimestamp());
        unfinished.put(pending.sequence(), pending);
        boolean wasEmpty = batcher.isEmpty();
        List<LengthBucketedBatcher.Batch<Pending>> ready =
                batcher.add(pending, pending.tokens().tokenCount());
        if (wasEmpty && !batcher.isEmpty()) {
            startDeadline();
        }
        submit(ready);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (unfinished.isEmpty()) {
            super.processWatermark(mark);
        } else {
            heldWatermarks.add(new HeldWatermark(mark, nextSequence));
        }
    }

    @Override
    public void endInput() throws Exception {
        flushAndAwait();
    }

    @Override
    public void finish() throws Exception {
        flushAndAwait();
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

    private void startDeadline() {
        long generation = bufferGeneration;
        long deadline = getProcessingTimeService().getCurrentProcessingTime()
                + settings.maxBatchWait().toMillis();
        getProcessingTimeService().registerTimer(deadline, time -> {
            if (bufferGeneration == generation) {
                submit(batcher.drainAll());
            }
        });
    }

    private void flushAndAwait() throws Exception {
        if (batcher == null) {
            return; // open() failed (the model did not load): nothing was buffered
        }
        submit(batcher.drainAll());
        while (inFlightBatches > 0) {
            mailbox.yield();
        }
    }

    private void submit(List<LengthBucketedBatcher.Batch<Pending>> batches) throws Exception {
        if (batcher.isEmpty()) {
            bufferGeneration++;
        }
        for (LengthBucketedBatcher.Batch<Pending> batch : batches) {
            // Bounded in-flight work: wait here, running mail (including completed batches), rather than buffer more.
            while (inFlightBatches >= settings.maxInFlightBatches()) {
                mailbox.yield();
            }
            inFlightBatches++;
            List<TokenizedText> texts = new ArrayList<>(batch.items().size());
            for (Pending pending : batch.items()) {
                texts.add(pending.tokens());
            }
            metrics.batchSize.update(batch.items().size());
            metrics.batchTokens.update(batch.paddedTokens());
            analyze(texts)
                    .whenComplete((analyzed, failure) -> mailbox.execute(
                            () -> complete(batch.items(), analyzed, failure),
                            "Heed batch of %d",
                            batch.items().size()));
        }
    }

    /** The model call of a batch, failing with a {@link java.util.concurrent.TimeoutException} past the timeout. */
    private CompletableFuture<SharedModel.Analyzed> analyze(List<TokenizedText> texts) {
        return model.analyze(texts).orTimeout(settings.batchTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs on the task thread when a batch's model call has finished. */
    private void complete(List<Pending> batch, SharedModel.Analyzed analyzed, Throwable failure) {
        inFlightBatches--;
        if (failure != null) {
            Throwable cause = ModelFaults.unwrap(failure);
            if (ModelFaults.isSystemic(cause)) {
                throw new ModelFaults.SystemicModelFault(
                        "The model failed on a batch of " + batch.size() + " records", cause);
            }
            LOG.warn("Batch of {} failed in the model; retrying its records one by one", batch.size(), cause);
            retryOneByOne(batch);
            return;
        }
        metrics.inferenceLatencyMs.update(analyzed.modelNanos() / 1_000_000);
        Instant now = Instant.now();
        float perRecordMs = analyzed.modelNanos() / 1e6f / batch.size();
        for (int i = 0; i < batch.size(); i++) {
            emit(batch.get(i), analyzed.analyses().get(i), perRecordMs, now);
        }
        recordFailures.succeeded();
        releaseWatermarks();
    }

    /**
     * Isolates the records that made a batch fail: each runs alone, asynchronously like any batch (the task thread
     * never waits on the model). A record that succeeds is emitted; the ones that fail are dead-lettered once the
     * whole batch is back, unless the failures add up to a systemic fault ({@link RecordFailures}).
     */
    private void retryOneByOne(List<Pending> batch) {
        Retries retries = new Retries(batch.size());
        for (Pending pending : batch) {
            inFlightBatches++;
            analyze(List.of(pending.tokens()))
                    .whenComplete((analyzed, failure) -> mailbox.execute(
                            () -> completeRetry(retries, pending, analyzed, failure), "Heed retry of one record"));
        }
    }

    /** The records of one failed batch, retried alone. */
    private static final class Retries {
        final int size;
        int done;
        final List<Pending> failed = new ArrayList<>();
        final List<Throwable> causes = new ArrayList<>();

        Retries(int size) {
            this.size = size;
        }
    }

    private void completeRetry(Retries retries, Pending pending, SharedModel.Analyzed analyzed, Throwable failure) {
        inFlightBatches--;
        retries.done++;
        if (failure != null) {
            Throwable cause = ModelFaults.unwrap(failure);
            if (ModelFaults.isSystemic(cause)) {
                throw new ModelFaults.SystemicModelFault("The model failed on a record retried alone", cause);
            }
            retries.failed.add(pending);
            retries.causes.add(cause);
        } else {
            emit(pending, analyzed.analyses().get(0), analyzed.modelNanos() / 1e6f, Instant.now());
            recordFailures.succeeded();
        }
        if (retries.done < retries.size) {
            return;
        }
        if (RecordFailures.mostOfBatch(retries.failed.size(), retries.size)) {
            throw new ModelFaults.SystemicModelFault(
                    retries.failed.size() + " of " + retries.size + " records of a batch failed even alone",
                    retries.causes.get(0));
        }
        for (int i = 0; i < retries.failed.size(); i++) {
            Pending failed = retries.failed.get(i);
            if (recordFailures.failedAndTrips()) {
                throw new ModelFaults.SystemicModelFault(
                        RecordFailures.MAX_CONSECUTIVE + " records in a row failed in the model even alone",
                        retries.causes.get(i));
            }
            unfinished.remove(failed.sequence());
            deadLetter(
                    failed.raw(),
                    failed.event().getId(),
                    new Rejection(
                            DeadLetterReason.INFERENCE_FAILED,
                            String.valueOf(retries.causes.get(i)),
                            Rejection.INFERENCE));
        }
        releaseWatermarks();
    }

    /** Emits a record's enriched version, or dead-letters it when that would be over the record limit. */
    private void emit(Pending pending, TextAnalysis analysis, float inferenceMs, Instant now) {
        unfinished.remove(pending.sequence());
        EnrichedText enriched = outputRecords.enriched(pending.event(), analysis, inferenceMs, now);
        Optional<Rejection> oversized = OutputRecords.oversized(enriched, settings.maxRecordBytes());
        if (oversized.isPresent()) {
            deadLetter(pending.raw(), pending.event().getId(), oversized.get());
            return;
        }
        output.collect(
                pending.hasTimestamp()
                        ? new StreamRecord<>(enriched, pending.timestamp())
                        : new StreamRecord<>(enriched));
        metrics.recordsEnriched.inc();
    }

    private void releaseWatermarks() {
        Watermark latest = null;
        while (!heldWatermarks.isEmpty()
                && (unfinished.isEmpty()
                        || unfinished.firstKey() >= heldWatermarks.peek().firstLaterSequence())) {
            latest = heldWatermarks.poll().mark();
        }
        if (latest != null) {
            try {
                super.processWatermark(latest);
            } catch (Exception e) {
                throw new IllegalStateException("Cannot forward watermark " + latest, e);
            }
        }
    }

    private void deadLetter(RawRecord raw, String id, Rejection rejection) {
        DeadLetter deadLetter =
                OutputRecords.deadLetter(raw, id, rejection, Instant.now(), settings.maxRecordBytes() / 2);
        output.collect(HeedEnrichment.DEAD_LETTERS, new StreamRecord<>(deadLetter));
        metrics.deadLettered(rejection.reason());
    }
}
