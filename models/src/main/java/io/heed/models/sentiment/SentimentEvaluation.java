package io.heed.models.sentiment;

import io.heed.models.encoder.EncoderVariant;
import io.heed.models.encoder.TokenStates;
import io.heed.models.encoder.TransformerEncoder;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints the accuracy of a sentiment head on a labelled TSV file (default: SST-2 dev).
 * {@code mvn -pl models compile exec:exec@eval-sentiment [-Deval.args="--file my.tsv --encoder fp32 --head my-head.bin"]}.
 */
public final class SentimentEvaluation {
    private SentimentEvaluation() {}

    /** Accuracy and speed of one evaluation run. */
    public record Result(int examples, double accuracy, double examplesPerSecond) {}

    public static Result evaluate(TransformerEncoder encoder, SentimentHead head, List<LabeledTexts.Example> examples) {
        List<String> texts = new ArrayList<>(examples.size());
        examples.forEach(e -> texts.add(e.text()));
        long start = System.nanoTime();
        List<TokenStates> states = encoder.encodeSortedByLength(texts, 32, message -> {});
        double accuracy = SentimentHeadTrainer.accuracy(head, states, examples);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(examples.size(), accuracy, examples.size() / seconds);
    }

    public static void main(String[] args) {
        Path file = Paths.get(System.getProperty("heed.data.dir", "../shared/data"), "sst2", "dev.tsv");
        EncoderVariant variant = EncoderVariant.INT8;
        String headPath = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--file" -> file = Paths.get(args[i + 1]);
                case "--encoder" -> variant = EncoderVariant.parse(args[i + 1]);
                case "--head" -> headPath = args[i + 1];
                default -> throw new IllegalArgumentException("Unknown option " + args[i]
                        + "; known: --file <tsv> --encoder int8|fp32 --head <sentiment-head.bin>");
            }
        }
        SentimentHead head = headPath == null ? SentimentHead.bundled() : SentimentHead.read(Paths.get(headPath));
        try (TransformerEncoder encoder = TransformerEncoder.load(variant, 256, 0)) {
            Result result = evaluate(encoder, head, LabeledTexts.readTsv(file));
            System.out.printf("| file | encoder | examples | accuracy | examples/s |%n|---|---|---|---|---|%n");
            System.out.printf("| %s | %s | %d | %.4f | %.1f |%n", file.getFileName(), variant.modelId(),
                    result.examples(), result.accuracy(), result.examplesPerSecond());
        }
    }
}
