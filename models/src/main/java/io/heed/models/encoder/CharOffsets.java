package io.heed.models.encoder;

/**
 * DJL's token char spans ({@code Encoding.getCharTokenSpans()}) count Unicode code points, while Java Strings and
 * Heed's results count UTF-16 units: the two part after the first surrogate pair (most emoji). Every span read from
 * the tokenizer goes through here.
 */
final class CharOffsets {
    private CharOffsets() {}

    /**
     * The UTF-16 offset of every code point index of {@code text} (and of its end), or null when the text has no
     * surrogate pairs and the two counts agree.
     */
    static int[] utf16Offsets(String text) {
        int codePoints = text.codePointCount(0, text.length());
        if (codePoints == text.length()) {
            return null;
        }
        int[] offsets = new int[codePoints + 1];
        int utf16 = 0;
        for (int c = 0; c < codePoints; c++) {
            offsets[c] = utf16;
            utf16 += Character.charCount(text.codePointAt(utf16));
        }
        offsets[codePoints] = text.length();
        return offsets;
    }

    /** A code point offset as a UTF-16 offset, given {@link #utf16Offsets(String)} of the text. */
    static int utf16(int[] offsets, int codePointOffset) {
        return offsets == null ? codePointOffset : offsets[Math.min(codePointOffset, offsets.length - 1)];
    }
}
