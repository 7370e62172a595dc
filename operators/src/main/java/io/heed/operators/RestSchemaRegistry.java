/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * A schema registry's REST API ({@code GET /schemas/ids/{id}}), as served by Confluent Schema Registry and by the
 * compatible APIs of Apicurio and Redpanda. The Confluent client library is not on Maven Central, and one GET per new
 * schema id needs nothing beyond the JDK's HTTP client. Credentials come from the URL's user info ({@code
 * https://key:secret@registry:8081}) and go out as HTTP basic authentication; they never appear in logs or toString.
 * TLS uses the JVM's trust store ({@code javax.net.ssl.trustStore}).
 *
 * <p>Only HTTP 404 means "no such id" (a dead letter for that record): any other failure says nothing about the
 * record, so it is a {@link SystemicInputFault} and the task restarts until the registry answers.
 */
final class RestSchemaRegistry implements WriterSchemaRegistry {
    private static final long serialVersionUID = 1L;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String authorization;

    private transient HttpClient client;

    RestSchemaRegistry(String url) {
        URI uri = URI.create(url.endsWith("/") ? url : url + "/");
        if (uri.getScheme() == null
                || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || uri.getHost() == null) {
            throw new IllegalArgumentException(
                    "schema registry URL must be http(s)://host[:port][/path], got " + redact(uri));
        }
        this.authorization = uri.getRawUserInfo() == null
                ? null
                : "Basic "
                        + Base64.getEncoder()
                                .encodeToString(java.net.URLDecoder.decode(uri.getRawUserInfo(), StandardCharsets.UTF_8)
                                        .getBytes(StandardCharsets.UTF_8));
        this.base = URI.create(redact(uri));
    }

    private static String redact(URI uri) {
        return uri.getRawUserInfo() == null ? uri.toString() : uri.toString().replace(uri.getRawUserInfo() + "@", "");
    }

    @Override
    public void open() {
        client = HttpClient.newBuilder()
                .connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    @Override
    public Schema schema(int id) throws IOException {
        if (client == null) {
            open();
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("schemas/ids/" + id))
                .timeout(TIMEOUT)
                .header("Accept", "application/vnd.schemaregistry.v1+json, application/json");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SystemicInputFault("schema registry " + base + " cannot be reached for schema id " + id, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SystemicInputFault("interrupted while asking schema registry " + base + " for id " + id, e);
        }
        if (response.statusCode() == 404) {
            return null;
        }
        if (response.statusCode() != 200) {
            throw new SystemicInputFault("schema registry " + base + " answered HTTP " + response.statusCode()
                    + " for schema id " + id + ": " + abbreviate(response.body()));
        }
        JsonNode body = JSON.readTree(response.body());
        String type = body.path("schemaType").asText("AVRO");
        if (!type.equals("AVRO")) {
            throw new IOException("schema id " + id + " is a " + type + " schema, not Avro");
        }
        if (!body.path("schema").isTextual()) {
            throw new IOException(
                    "schema registry answer for id " + id + " has no schema: " + abbreviate(response.body()));
        }
        try {
            return new Schema.Parser().parse(body.get("schema").textValue());
        } catch (SchemaParseException e) {
            // Schemas with references to other subjects are not resolved here.
            throw new IOException("schema id " + id + " is not a self-contained Avro schema: " + e.getMessage(), e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    @Override
    public String toString() {
        return base.toString();
    }
}
