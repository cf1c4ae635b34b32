package io.vectorsync.app.logging;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * An output stream that writes each line to its target with the configuration's secrets and URL credentials masked
 * ({@link SecretMaskingConverter#mask()}, the same mask as the log), for the CLI's stderr: an error line quoting an
 * exception's message, or a stack trace, may carry a password a driver or client echoed. Whole lines are masked, so
 * a secret printed in two pieces on one line is still found; {@link #flush()} writes a partial line (a prompt) as it is.
 */
public final class MaskingLineStream extends OutputStream {
    private final OutputStream target;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    public MaskingLineStream(OutputStream target) {
        this.target = target;
    }

    /** A print stream over a masking stream to {@code target}, flushed at every line as stderr is. */
    public static PrintStream printStream(OutputStream target) {
        return new PrintStream(new MaskingLineStream(target), true, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void write(int b) throws IOException {
        line.write(b);
        if (b == '\n') {
            emit();
        }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
        for (int i = offset; i < offset + length; i++) {
            write(bytes[i]);
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        emit();
        target.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        flush();
    }

    private void emit() throws IOException {
        if (line.size() == 0) {
            return;
        }
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        target.write(SecretMaskingConverter.mask().apply(text).getBytes(StandardCharsets.UTF_8));
    }
}
