/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.jobs.config;

import io.heed.operators.OptionValues;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.description.Formatter;
import org.apache.flink.configuration.description.TextElement;

/** Renders the option table of {@code --help} from the {@link ConfigOption}s, so it cannot drift from the parser. */
final class OptionsHelp {

    private static final int DESCRIPTION_WIDTH = 72;
    private static final String GAP = "  ";

    private OptionsHelp() {}

    static String render(String usage, List<ConfigOption<?>> options) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Option", "Default", "Description"});
        for (ConfigOption<?> option : options) {
            String defaultValue = OptionValues.render(option.defaultValue());
            rows.add(
                    new String[] {optionName(option), defaultValue.isEmpty() ? "(none)" : defaultValue, describe(option)
                    });
        }
        rows.add(new String[] {String.join(", ", "--help", "-h"), "", "Print this help and exit."});

        int nameWidth = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
        int defaultWidth = rows.stream().mapToInt(r -> r[1].length()).max().orElse(0);
        String indent = " ".repeat(nameWidth + defaultWidth + 2 * GAP.length());

        StringBuilder out =
                new StringBuilder(usage).append(System.lineSeparator()).append(System.lineSeparator());
        for (String[] row : rows) {
            List<String> lines = wrap(row[2]);
            out.append(pad(row[0], nameWidth))
                    .append(GAP)
                    .append(pad(row[1], defaultWidth))
                    .append(GAP)
                    .append(lines.get(0))
                    .append(System.lineSeparator());
            for (String line : lines.subList(1, lines.size())) {
                out.append(indent).append(line).append(System.lineSeparator());
            }
        }
        return out.toString();
    }

    /**
     * The same table as Markdown, for docs/CONFIGURATION.md (checked by OptionsDocTest): one row per option, names and
     * defaults as code, and the option's key in a SQL model's {@code WITH} clause where SQL takes it.
     */
    static String markdown(List<ConfigOption<?>> options, Collection<ConfigOption<?>> sqlOptions) {
        StringBuilder out =
                new StringBuilder("| option | SQL `WITH` key | default | description |\n|---|---|---|---|\n");
        for (ConfigOption<?> option : options) {
            String defaultValue = OptionValues.render(option.defaultValue());
            out.append("| `")
                    .append(optionName(option))
                    .append("` | ")
                    .append(sqlOptions.contains(option) ? "`'" + option.key() + "'`" : "")
                    .append(" | ")
                    .append(defaultValue.isEmpty() ? "" : "`" + defaultValue + "`")
                    .append(" | ")
                    .append(describe(option).replace("|", "\\|"))
                    .append(" |\n");
        }
        return out.append("| `--help`, `-h` | | | Print this table and exit. |\n")
                .toString();
    }

    private static String optionName(ConfigOption<?> option) {
        return EnrichmentJobConfigOptions.isPrefixMap(option)
                ? "--" + option.key() + ".<property>"
                : "--" + option.key();
    }

    private static String describe(ConfigOption<?> option) {
        String text = new PlainTextFormatter().format(option.description());
        String choices = OptionValues.choicesOf(option);
        return choices.isEmpty() ? text : text + " One of: " + choices + ".";
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(width - text.length());
    }

    private static List<String> wrap(String text) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > DESCRIPTION_WIDTH) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        lines.add(line.toString());
        return lines;
    }

    /** Flink ships an HTML formatter for its docs; a terminal wants the plain text on one line. */
    private static final class PlainTextFormatter extends Formatter {
        @Override
        protected void formatLink(StringBuilder state, String link, String description) {
            state.append(description).append(" (").append(link).append(')');
        }

        @Override
        protected void formatLineBreak(StringBuilder state) {
            state.append(' ');
        }

        @Override
        protected void formatText(
                StringBuilder state, String format, String[] elements, EnumSet<TextElement.TextStyle> styles) {
            state.append(elements.length == 0 ? format : String.format(format, (Object[]) elements));
        }

        @Override
        protected void formatList(StringBuilder state, String[] entries) {
            state.append(String.join("; ", entries));
        }

        @Override
        protected Formatter newInstance() {
            return new PlainTextFormatter();
        }
    }
}
