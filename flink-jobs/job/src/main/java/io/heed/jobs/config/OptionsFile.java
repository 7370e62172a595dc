/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.jobs.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads job options from a file: YAML ({@code .yaml}, {@code .yml}) or Java properties (any other name). Keys are the
 * command-line option names without {@code --}; values are written as on the command line.
 *
 * <p>YAML may nest: {@code kafka: {security.protocol: SASL_SSL}} is the key {@code kafka.security.protocol}, so a
 * block of Kafka settings reads naturally. A YAML list becomes a comma-separated value ({@code tasks: [sentiment,
 * entities]}). The YAML is parsed with SnakeYAML's safe constructor: plain maps, lists and scalars only, never
 * arbitrary classes.
 */
final class OptionsFile {

    private OptionsFile() {}

    /** Raw values by option key, in file order. */
    static Map<String, String> read(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        try {
            return name.endsWith(".yaml") || name.endsWith(".yml") ? readYaml(file) : readProperties(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("Options file " + file + " does not exist");
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read options file " + file + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, String> readProperties(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        Map<String, String> values = new LinkedHashMap<>();
        properties.stringPropertyNames().stream().sorted().forEach(key -> values.put(key, properties.getProperty(key)));
        return values;
    }

    private static Map<String, String> readYaml(Path file) throws IOException {
        Object root;
        try (InputStream in = Files.newInputStream(file)) {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        } catch (YAMLException e) {
            throw new IllegalArgumentException("Options file " + file + " is not valid YAML: " + e.getMessage(), e);
        }
        Map<String, String> values = new LinkedHashMap<>();
        if (root == null) {
            return values; // an empty file sets nothing
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("Options file " + file + " must hold a map of option: value, not a "
                    + root.getClass().getSimpleName());
        }
        flatten(file, "", map, values);
        return values;
    }

    private static void flatten(Path file, String prefix, Map<?, ?> map, Map<String, String> values) {
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String key = prefix + entry.getKey();
            Object value = entry.getValue();
            if (value instanceof Map<?, ?> nested) {
                flatten(file, key + ".", nested, values);
            } else if (value instanceof List<?> list) {
                values.put(
                        key, list.stream().map(item -> scalar(file, key, item)).collect(Collectors.joining(",")));
            } else {
                values.put(key, scalar(file, key, value));
            }
        }
    }

    private static String scalar(Path file, String key, Object value) {
        if (value == null) {
            throw new IllegalArgumentException("Option " + key + " in " + file + " has no value");
        }
        if (value instanceof Map || value instanceof List) {
            throw new IllegalArgumentException("Option " + key + " in " + file + " must be a plain value");
        }
        return String.valueOf(value);
    }
}
