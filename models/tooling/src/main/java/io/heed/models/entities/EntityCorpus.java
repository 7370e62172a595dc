/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.entities;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The public entity sets in the shared data folder, all in CoNLL layout with IOB2 tags mapped to PER, ORG, LOC and
 * MISC (see each folder's SOURCE.txt for the mapping). Every set has its own train, dev and test files: training
 * uses train, chooses on dev, and only the quality report reads test.
 *
 * <p>Licences: CoNLL-2003 is for research use only; WNUT-17 is CC BY 4.0; CrossNER is MIT over Wikipedia text.
 */
public enum EntityCorpus {
    CONLL("CoNLL-2003 (Reuters news)", "conll2003", "valid.txt"),
    WNUT("WNUT-17 (social media)", "wnut17", "dev.txt"),
    CROSSNER_POLITICS("CrossNER politics (Wikipedia)", "crossner/politics", "dev.txt"),
    CROSSNER_SCIENCE("CrossNER science (Wikipedia)", "crossner/science", "dev.txt"),
    CROSSNER_MUSIC("CrossNER music (Wikipedia)", "crossner/music", "dev.txt"),
    CROSSNER_LITERATURE("CrossNER literature (Wikipedia)", "crossner/literature", "dev.txt"),
    CROSSNER_AI("CrossNER AI (Wikipedia)", "crossner/ai", "dev.txt");

    private final String title;
    private final String folder;
    private final String devFile;

    EntityCorpus(String title, String folder, String devFile) {
        this.title = title;
        this.folder = folder;
        this.devFile = devFile;
    }

    public String title() {
        return title;
    }

    public String folder() {
        return folder;
    }

    public Path trainFile(Path dataDir) {
        return dataDir.resolve(folder).resolve("train.txt");
    }

    public Path devFile(Path dataDir) {
        return dataDir.resolve(folder).resolve(devFile);
    }

    public Path testFile(Path dataDir) {
        return dataDir.resolve(folder).resolve("test.txt");
    }

    public boolean isPresent(Path dataDir) {
        return Files.isReadable(trainFile(dataDir));
    }

    /** Parses {@code corpus[=repeats]} entries separated by commas (repeats default to 1), in the order given. */
    public static Map<EntityCorpus, Integer> repeats(String spec) {
        Map<EntityCorpus, Integer> repeats = new LinkedHashMap<>();
        for (String entry : spec.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] parts = entry.split("=");
            repeats.put(parse(parts[0]), parts.length > 1 ? Integer.parseInt(parts[1].trim()) : 1);
        }
        return repeats;
    }

    /** Parses a corpus name such as {@code conll}, {@code wnut} or {@code crossner_politics}. */
    public static EntityCorpus parse(String name) {
        for (EntityCorpus corpus : values()) {
            if (corpus.name().equalsIgnoreCase(name.trim().replace('-', '_'))) {
                return corpus;
            }
        }
        throw new IllegalArgumentException("Unknown entity corpus '" + name + "'; known: "
                + List.of(values()).stream().map(EntityCorpus::toString).toList());
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
