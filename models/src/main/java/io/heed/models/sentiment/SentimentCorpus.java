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
            throw new IllegalArgumentException(trainFile(dataDir) + " has " + rows.size()
                    + " rows: too few to carve a dev split of " + devSize);
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

    /** Parses a corpus by its name, e.g. {@code sst2} or {@code SEMEVAL}. */
    public static SentimentCorpus parse(String name) {
        for (SentimentCorpus corpus : values()) {
            if (corpus.name().equalsIgnoreCase(name.trim())) {
                return corpus;
            }
        }
        throw new IllegalArgumentException("Unknown sentiment corpus '" + name + "'; known: "
                + List.of(values()).stream().map(c -> c.name().toLowerCase(Locale.ROOT)).toList());
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
