package io.ringloop.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP conversation every example HTTP server must hold: keep-alive, then pipelined requests split anywhere. */
final class HttpConversation {
    static final String RESPONSE = "HTTP/1.1 200 OK\r\nServer: ringloop\r\nContent-Type: text/plain\r\n"
            + "Content-Length: 13\r\n\r\nHello, World!";

    private HttpConversation() {
    }

    /**
     * One request and its answer, then three pipelined requests written byte by byte (so that the terminator is
     * split across arrivals) and their three answers, on one connection.
     *
     * @param port the server's port on 127.0.0.1
     * @throws IOException if the conversation fails
     */
    static void keepAliveAndPipelined(int port) throws IOException {
        try (Socket c = new Socket("127.0.0.1", port)) {
            c.setSoTimeout(10_000);
            OutputStream out = c.getOutputStream();
            InputStream in = c.getInputStream();
            String req = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
            out.write(req.getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(in.readNBytes(RESPONSE.length()), StandardCharsets.US_ASCII)).isEqualTo(RESPONSE);
            byte[] three = (req + req + req).getBytes(StandardCharsets.US_ASCII);
            for (byte b : three) {
                out.write(b);
                out.flush();
            }
            assertThat(new String(in.readNBytes(3 * RESPONSE.length()), StandardCharsets.US_ASCII))
                    .isEqualTo(RESPONSE.repeat(3));
        }
    }
}
