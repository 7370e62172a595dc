package io.heed.models;

import io.heed.models.sentiment.Sentiment;
import java.util.Optional;

/**
 * What the model found in one text.
 *
 * @param tokenCount encoder tokens the text used (special tokens included, after truncation)
 * @param truncated  whether the text was longer than the encoder window and cut
 * @param sentiment  present when {@link Task#SENTIMENT} is enabled
 */
public record TextAnalysis(int tokenCount, boolean truncated, Optional<Sentiment> sentiment) {}
