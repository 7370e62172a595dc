package io.heed.models;

import io.heed.models.sentiment.Sentiment;
import java.util.Optional;

/**
 * What the model found in one text.
 *
 * @param tokenCount encoder tokens of the text (special tokens included)
 * @param truncated  whether the text exceeded the document cap ({@code Windowing.maxDocumentTokens}) and was cut
 * @param sentiment  present when {@link Task#SENTIMENT} is enabled
 */
public record TextAnalysis(int tokenCount, boolean truncated, Optional<Sentiment> sentiment) {}
