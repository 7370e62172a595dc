/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Every released version of Heed's top-level records, as shipped in this jar under {@code
 * io/heed/schemas/history/<Record>/vN.avsc} (v1 first, each self-contained). Data written by any of them can be read
 * with the current generated classes; readers that resolve a writer's schema by fingerprint (Avro single-object
 * encoding) know these without a registry.
 */
public final class ReleasedSchemas {
    private ReleasedSchemas() {}

    /** The released versions of {@code record} ({@code TextEvent}, {@code EnrichedText}, {@code DeadLetter}). */
    public static List<Schema> of(String record) {
        List<Schema> versions = new ArrayList<>();
        for (int v = 1; ; v++) {
            String path = resourcePath(record, v);
            try (InputStream in = ReleasedSchemas.class.getClassLoader().getResourceAsStream(path)) {
                if (in == null) {
                    return List.copyOf(versions);
                }
                versions.add(new Schema.Parser().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + path, e);
            }
        }
    }

    /** The class-path resource of version {@code version} of {@code record}. */
    public static String resourcePath(String record, int version) {
        return "io/heed/schemas/history/" + record + "/v" + version + ".avsc";
    }
}
