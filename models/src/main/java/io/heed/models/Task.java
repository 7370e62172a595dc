package io.heed.models;

/** What a {@link TextModel} can compute from one encoder pass. */
public enum Task {
    SENTIMENT
}
