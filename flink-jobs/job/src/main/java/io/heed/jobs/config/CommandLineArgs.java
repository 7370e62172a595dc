/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.jobs.config;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;

/**
 * Splits {@code --key value} arguments into Flink configuration keys and raw values. It checks the shape of the
 * command line only (known keys, a value for each, no repeats); {@link EnrichmentJobOptions} converts and validates.
 *
 * <p>Also accepted: {@code --key=value}, which is the way to pass a value that itself starts with {@code --}, and a
 * flag (boolean option) without a value, meaning true.
 */
final class CommandLineArgs {

    static final Set<String> HELP_FLAGS = Set.of("--help", "-h");
    private static final String HINT = "; run with --help to list options";

    private CommandLineArgs() {}

    static boolean helpRequested(String[] args) {
        return Arrays.stream(args).anyMatch(HELP_FLAGS::contains);
    }

    /** Raw values by configuration key, e.g. {@code max-batch-size -> "64"}, {@code kafka.acks -> "all"}. */
    static Map<String, String> parse(String[] args, List<ConfigOption<?>> options) {
        Map<String, ConfigOption<?>> byKey =
                options.stream().collect(Collectors.toMap(ConfigOption::key, Function.identity()));
        Map<String, String> values = new LinkedHashMap<>();
        int i = 0;
        while (i < args.length) {
            String token = args[i];
            if (!token.startsWith("--") || token.length() == 2) {
                throw new IllegalArgumentException(
                        "Unexpected argument '" + token + "': options are written --key value" + HINT);
            }
            String name = token.substring(2);
            String inlineValue = null;
            int equals = name.indexOf('=');
            if (equals >= 0) {
                inlineValue = name.substring(equals + 1);
                name = name.substring(0, equals);
            }
            ConfigOption<?> option = byKey.get(name);
            Optional<ConfigOption<?>> prefixMap = option == null ? prefixMapOf(name, options) : Optional.empty();
            if (option != null && EnrichmentJobConfigOptions.isPrefixMap(option)) {
                throw new IllegalArgumentException(
                        "Option --" + name + " needs a property name: --" + name + ".<property> value");
            }
            if (option == null && prefixMap.isEmpty()) {
                throw new IllegalArgumentException("Unknown option --" + name + HINT);
            }

            String value;
            if (inlineValue != null) {
                value = inlineValue;
                i += 1;
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[i + 1];
                i += 2;
            } else if (option != null && EnrichmentJobConfigOptions.isFlag(option)) {
                value = "true";
                i += 1;
            } else {
                throw new IllegalArgumentException("Missing value for --" + name);
            }
            if (values.containsKey(name)) {
                throw new IllegalArgumentException("Option --" + name + " is given more than once");
            }
            // Typed values are trimmed (Flink's parsers are not); pass-through values may be secrets: kept verbatim.
            values.put(name, prefixMap.isPresent() ? value : value.strip());
        }
        return values;
    }

    /**
     * Checks the keys of an options file like those of the command line (known keys; a prefix map only with a
     * property name) and trims typed values the same way.
     */
    static Map<String, String> checkFileValues(Map<String, String> raw, List<ConfigOption<?>> options, String file) {
        Map<String, ConfigOption<?>> byKey =
                options.stream().collect(Collectors.toMap(ConfigOption::key, Function.identity()));
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : raw.entrySet()) {
            String name = entry.getKey();
            ConfigOption<?> option = byKey.get(name);
            if (option != null && EnrichmentJobConfigOptions.isPrefixMap(option)) {
                throw new IllegalArgumentException(
                        "Option " + name + " in " + file + " needs a property name: " + name + ".<property>: value");
            }
            Optional<ConfigOption<?>> prefixMap = option == null ? prefixMapOf(name, options) : Optional.empty();
            if (option == null && prefixMap.isEmpty()) {
                throw new IllegalArgumentException("Unknown option " + name + " in " + file + HINT);
            }
            values.put(
                    name,
                    prefixMap.isPresent() ? entry.getValue() : entry.getValue().strip());
        }
        return values;
    }

    private static Optional<ConfigOption<?>> prefixMapOf(String name, List<ConfigOption<?>> options) {
        for (ConfigOption<?> option : options) {
            String prefix = option.key() + ".";
            if (EnrichmentJobConfigOptions.isPrefixMap(option) && name.startsWith(prefix)) {
                if (name.length() == prefix.length()) {
                    throw new IllegalArgumentException(
                            "Missing property name in --" + name + ": write --" + prefix + "<property> value");
                }
                return Optional.of(option);
            }
        }
        return Optional.empty();
    }
}
