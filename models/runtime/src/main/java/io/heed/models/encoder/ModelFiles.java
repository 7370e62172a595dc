/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.encoder;

import io.heed.models.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;

/**
 * Copies model files that ship inside jars to a local directory, because ONNX Runtime and the HF tokenizer load from
 * paths. Files are keyed by their SHA-256 so concurrent TaskManager slots and later runs reuse one copy safely.
 */
final class ModelFiles {
    /** Overrides where bundled files are unpacked; default is {@code java.io.tmpdir/heed-models}. */
    static final String CACHE_DIR_PROPERTY = "heed.model.cache";

    private ModelFiles() {}

    /** A file on disk with the SHA-256 of its content. */
    record LocalFile(Path path, String sha256) {}

    static LocalFile unpack(String resource) {
        Path cacheDir = Paths.get(System.getProperty(
                CACHE_DIR_PROPERTY,
                Paths.get(System.getProperty("java.io.tmpdir"), "heed-models").toString()));
        try (InputStream in = open(resource)) {
            Files.createDirectories(cacheDir);
            Path tmp = Files.createTempFile(cacheDir, "unpack-", ".part");
            MessageDigest digest = Sha256.newDigest();
            try (DigestInputStream digesting = new DigestInputStream(in, digest)) {
                Files.copy(digesting, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            String sha = Sha256.hex(digest);
            Path dir = cacheDir.resolve(sha.substring(0, 16));
            Files.createDirectories(dir);
            Path target = dir.resolve(fileName(resource));
            if (Files.exists(target) && Files.size(target) == Files.size(tmp)) {
                Files.delete(tmp);
            } else {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            return new LocalFile(target, sha);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot unpack model file " + resource + " into " + cacheDir
                            + ": give the TaskManager a writable directory with -D" + CACHE_DIR_PROPERTY + "=<dir>",
                    e);
        }
    }

    private static InputStream open(String resource) {
        InputStream in = ModelFiles.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException(
                    "Model file '" + resource + "' is not on the classpath: " + EncoderWeights.whereToFind(resource));
        }
        return in;
    }

    private static String fileName(String resource) {
        return resource.substring(resource.lastIndexOf('/') + 1);
    }
}
