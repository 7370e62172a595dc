/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.sentiment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The public sentiment sets in the shared data folder, with the split each is used for. None but SST-2 has a dev
 * file, so every set's dev split (what training chooses on) is carved from its train file with a fixed seed, and the
 * rest is trained on; test files are only reported. SST-2's own dev file is reported beside its test file, since it is
 * the figure everyone quotes; nothing is chosen on it.
 *
 * <p>Licences (see each folder's SOURCE.txt): SST-2 and SemEval-2017 are research-permissive; the Amazon, Yelp and
 * Financial PhraseBank texts are for research / non-commercial use only.
 */
public enum SentimentCorpus {
    SST2("SST-2 (movie-review phrases)", "sst2", 1000, "dev.tsv", "test-labeled.tsv"),
    AMAZON("Amazon reviews (books, dvd, electronics, kitchen)", "amazon_multidomain", 500, "test.tsv"),
    YELP("Yelp review sentences", "yelp_sentences", 1000, "test.tsv"),
    SEMEVAL("SemEval-2017 tweets (3-class)", "semeval2017_tweets", 1500, "test.tsv"),
    FINANCE("Financial PhraseBank (3-class)", "financial_phrasebank", 150, "test.tsv");

    /** Seed of the dev carve: fixed, so every run trains and chooses on the same split. */
    static final long CARVE_SEED = 2026;

    private final String title;
    private final String folder;
    private final int devSize;
    private final List<String> reportFiles;

    SentimentCorpus(String title, String folder, int devSize, String... reportFiles) {
        this.title = title;
        this.folder = folder;
        this.devSize = devSize;
        this.reportFiles = List.of(reportFiles);
    }

    /** What the set is, for reports. */
    public String title() {
        return title;
    }

    /** Its folder under the shared data directory. */
    public String folder() {
        return folder;
    }

    /** The labelled train file. */
    public Path trainFile(Path dataDir) {
        return dataDir.resolve(folder).resolve("train.tsv");
    }

    /** The files reported on (never trained or chosen on), relative names within {@link #folder()}. */
    public List<String> reportFiles() {
        return reportFiles;
    }

    /** Whether the shared data holds this set's train file. */
    public boolean isPresent(Path dataDir) {
        return Files.isReadable(trainFile(dataDir));
    }

    /** The train file less the dev carve, in a seeded shuffled order. */
    public List<LabeledTexts.Example> train(Path dataDir) {
        List<LabeledTexts.Example> shuffled = shuffledTrainFile(dataDir);
        return shuffled.subList(devSize, shuffled.size());
    }

    /** The dev carve: the first {@code devSize} rows of the seeded shuffle of the train file. */
    public List<LabeledTexts.Example> dev(Path dataDir) {
        return shuffledTrainFile(dataDir).subList(0, devSize);
    }

    private List<LabeledTexts.Example> shuffledTrainFile(Path dataDir) {
        List<LabeledTexts.Example> rows = new ArrayList<>(LabeledTexts.readTsv(trainFile(dataDir)));
        if (rows.size() <= devSize) {
            throw new IllegalArgumentException(
                    trainFile(dataDir) + " has " + rows.size() + " rows: too few to carve a dev split of " + devSize);
        }
        Collections.shuffle(rows, new Random(CARVE_SEED));
        return rows;
    }

    /** Parses {@code corpus=number} pairs separated by commas, e.g. {@code sst2=25000,yelp=15000}. */
    public static Map<SentimentCorpus, Integer> perCorpus(String spec) {
        Map<SentimentCorpus, Integer> values = new EnumMap<>(SentimentCorpus.class);
        for (String entry : spec.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] parts = entry.split("=");
            if (parts.length != 2) {
                throw new IllegalArgumentException("expected corpus=number, got '" + entry + "'");
            }
            values.put(SentimentCorpus.parse(parts[0]), Integer.parseInt(parts[1].trim()));
        }
        return values;
    }

    /**
     * The train rows of several corpora, each capped ({@code caps}: a seeded sample of that many rows) and repeated
     * ({@code repeats}), with which rows come from a three-class corpus (only those may have a loss on neutral).
     *
     * @param rows      every row, corpus after corpus, repeats included
     * @param threeClass per row, whether its corpus has neutral labels
     * @param perCorpus  rows taken from each corpus (before repeating)
     * @param threeClassCorpora the corpora with neutral labels
     */
    public record TrainingMix(
            List<LabeledTexts.Example> rows,
            boolean[] threeClass,
            Map<SentimentCorpus, Integer> perCorpus,
            java.util.Set<SentimentCorpus> threeClassCorpora) {

        public static TrainingMix of(
                Path dataDir,
                List<SentimentCorpus> corpora,
                Map<SentimentCorpus, Integer> caps,
                Map<SentimentCorpus, Integer> repeats,
                long seed) {
            List<LabeledTexts.Example> all = new ArrayList<>();
            List<Boolean> flags = new ArrayList<>();
            Map<SentimentCorpus, Integer> perCorpus = new java.util.LinkedHashMap<>();
            java.util.Set<SentimentCorpus> threeClassCorpora = java.util.EnumSet.noneOf(SentimentCorpus.class);
            for (SentimentCorpus corpus : corpora) {
                List<LabeledTexts.Example> rows = new ArrayList<>(corpus.train(dataDir));
                int cap = caps.getOrDefault(corpus, 0);
                if (cap > 0 && cap < rows.size()) {
                    Collections.shuffle(rows, new Random(seed));
                    rows = rows.subList(0, cap);
                }
                boolean hasNeutral = LabeledTexts.hasNeutral(rows);
                if (hasNeutral) {
                    threeClassCorpora.add(corpus);
                }
                for (int r = 0; r < repeats.getOrDefault(corpus, 1); r++) {
                    all.addAll(rows);
                    rows.forEach(row -> flags.add(hasNeutral));
                }
                perCorpus.put(corpus, rows.size());
            }
            boolean[] threeClass = new boolean[flags.size()];
            for (int i = 0; i < threeClass.length; i++) {
                threeClass[i] = flags.get(i);
            }
            return new TrainingMix(all, threeClass, perCorpus, threeClassCorpora);
        }

        /** Whether {@code corpus}'s rows are three-class (it has neutral labels). */
        public boolean isThreeClass(SentimentCorpus corpus) {
            return threeClassCorpora.contains(corpus);
        }
    }

    /** Parses a corpus by its name, e.g. {@code sst2} or {@code SEMEVAL}. */
    public static SentimentCorpus parse(String name) {
        for (SentimentCorpus corpus : values()) {
            if (corpus.name().equalsIgnoreCase(name.trim())) {
                return corpus;
            }
        }
        throw new IllegalArgumentException("Unknown sentiment corpus '" + name + "'; known: "
                + List.of(values()).stream()
                        .map(c -> c.name().toLowerCase(Locale.ROOT))
                        .toList());
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
