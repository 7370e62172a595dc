package io.heed.operators;

import io.heed.models.ModelInfo;
import io.heed.models.TextAnalysis;
import io.heed.models.entities.Entity;
import io.heed.models.sentiment.Sentiment;
import io.heed.models.summary.Summary;
import io.heed.schemas.DeadLetter;
import io.heed.schemas.EnrichedText;
import io.heed.schemas.EntitySpan;
import io.heed.schemas.Provenance;
import io.heed.schemas.SentimentResult;
import io.heed.schemas.SummaryResult;
import io.heed.schemas.TextEvent;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Maps model results and rejections onto the Avro output records: the one place model types meet schemas. */
final class OutputRecords {
    private final Provenance provenance;

    OutputRecords(ModelInfo info) {
        this.provenance = Provenance.newBuilder()
                .setModelId(info.modelId())
                .setWeightsSha256(info.weightsSha256())
                .setEngine(info.engine())
                .setDevice(info.device())
                .build();
    }

    EnrichedText enriched(TextEvent event, TextAnalysis analysis, float inferenceMs, Instant now) {
        return EnrichedText.newBuilder()
                .setId(event.getId())
                .setText(event.getText())
                .setSource(event.getSource())
                .setLanguage(event.getLanguage())
                .setEventTime(event.getEventTime())
                .setAttributes(event.getAttributes())
                .setSentiment(analysis.sentiment().map(OutputRecords::sentiment).orElse(null))
                .setEntities(analysis.entities().stream().map(OutputRecords::entity).toList())
                .setSummary(analysis.summary().map(OutputRecords::summary).orElse(null))
                .setProvenance(provenance)
                .setInferenceMs(inferenceMs)
                .setEnrichedAt(now)
                .build();
    }

    private static SentimentResult sentiment(Sentiment sentiment) {
        Map<String, Float> probabilities = new LinkedHashMap<>(sentiment.probabilities());
        return SentimentResult.newBuilder()
                .setLabel(sentiment.label())
                .setScore(sentiment.score())
                .setProbabilities(probabilities)
                .build();
    }

    private static EntitySpan entity(Entity entity) {
        return EntitySpan.newBuilder()
                .setText(entity.text())
                .setType(entity.type())
                .setStart(entity.start())
                .setEnd(entity.end())
                .setScore(entity.score())
                .build();
    }

    private static SummaryResult summary(Summary summary) {
        return SummaryResult.newBuilder()
                .setText(summary.text())
                .setSentenceIndices(List.copyOf(summary.sentenceIndices()))
                .build();
    }

    static DeadLetter deadLetter(RawRecord raw, String id, Rejection rejection, Instant now) {
        return DeadLetter.newBuilder()
                .setId(id)
                .setPayload(raw.payload == null ? null : ByteBuffer.wrap(raw.payload))
                .setTopic(raw.topic)
                .setPartition(raw.partition)
                .setOffset(raw.offset)
                .setReason(rejection.reason())
                .setMessage(rejection.message())
                .setStage(rejection.stage())
                .setTime(now)
                .build();
    }
}
