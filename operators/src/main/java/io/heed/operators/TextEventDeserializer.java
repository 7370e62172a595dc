/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

import io.heed.schemas.TextEvent;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

/** What Heed's own input formats share as Flink deserialization schemas: they produce TextEvents, endlessly. */
abstract class TextEventDeserializer implements DeserializationSchema<TextEvent> {
    private static final long serialVersionUID = 1L;

    @Override
    public final boolean isEndOfStream(TextEvent nextElement) {
        return false;
    }

    @Override
    public final TypeInformation<TextEvent> getProducedType() {
        return new AvroTypeInfo<>(TextEvent.class);
    }
}
