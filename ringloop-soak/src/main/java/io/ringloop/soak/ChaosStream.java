package io.ringloop.soak;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.zip.CRC32;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * One direction of a connection as framed messages: {@code [magic, streamId, seq, length, crc32(payload)]} then the
 * payload, whose bytes follow from (stream, seq). The writer side keeps a ledger of every message's fate; the reader
 * side parses what arrives and checks it: no corruption, no message twice or out of order, none that was not sent.
 * {@link #verify} then holds the ledger against what arrived. Thread-safe (one lock per stream).
 */
final class ChaosStream {
    static final int HEADER = 24;
    private static final int MAGIC = 0x43484153;

    /** A message's fate on the writing side. */
    enum Fate {
        /** Its write has not completed yet. */
        PENDING,
        /** Its write succeeded: all of it is in the stream. */
        OK,
        /** Its future completed cancelled, or it failed before the kernel saw it: none of it may arrive. */
        NOT_SENT,
        /** It failed otherwise: any prefix of it may have been sent (then it is the stream's last). */
        FAILED
    }

    /** What the ledger knows of one message. */
    private static final class Sent {
        final int length;
        final long crc;
        Fate fate = Fate.PENDING;
        String why = "";

        Sent(int length, long crc) {
            this.length = length;
            this.crc = crc;
        }
    }

    final int id;
    final String name;
    private final ChaosOps ops;
    private final TreeMap<Long, Sent> ledger = new TreeMap<>();
    private long nextSeq;
    // the reader's side
    private byte[] buf = new byte[64 << 10];
    private int len;
    private long lastSeq = -1;
    private final List<Long> received = new ArrayList<>();
    private boolean corrupt;
    private long bytes;
    private String end;
    private boolean cleanEof;
    /**
     * The writer's end was closed after its own reader had seen a clean end of stream: nothing was left unread there,
     * so its close sent a FIN after all its bytes rather than a reset that drops them.
     */
    private boolean writerClosedGracefully;
    /** The last events of this stream (writes issued and settled, reads), for a failure's message. */
    private final String[] history = new String[48];
    private long events;

    ChaosStream(int id, String name, ChaosOps ops) {
        this.id = id;
        this.name = name;
        this.ops = ops;
    }

    /** Notes an event of this stream for a failure's message. */
    synchronized void note(String event) {
        history[(int) (events++ % history.length)] = event;
    }

    private String history() {
        StringBuilder b = new StringBuilder("; last events:");
        for (long i = Math.max(0, events - history.length); i < events; i++) {
            b.append("\n      ").append(history[(int) (i % history.length)]);
        }
        return b.toString();
    }

    private void fail(String what) {
        ops.fail(name + ": " + what + history());
    }

    /** A new message for the writer: its sequence number and its encoded bytes, in a segment of their own. */
    synchronized Message next(SplittableRandom r) {
        int length = r.nextInt(8) == 0 ? (16 << 10) + r.nextInt(256 << 10) : r.nextInt(4096);
        long seq = nextSeq++;
        byte[] payload = payload(id, seq, length);
        CRC32 crc = new CRC32();
        crc.update(payload);
        ledger.put(seq, new Sent(length, crc.getValue()));
        MemorySegment seg = Arena.ofAuto().allocate(HEADER + length);
        ByteBuffer b = seg.asByteBuffer().order(ByteOrder.BIG_ENDIAN);
        b.putInt(MAGIC).putInt(id).putLong(seq).putInt(length).putInt((int) crc.getValue()).put(payload);
        return new Message(seq, seg);
    }

    /** A message ready to write. */
    record Message(long seq, MemorySegment bytes) {
    }

    synchronized void settle(long seq, Fate fate, String why) {
        Sent s = ledger.get(seq);
        if (s.fate != Fate.PENDING) {
            fail("seq " + seq + " settled twice: " + s.fate + " then " + fate);
            return;
        }
        s.fate = fate;
        s.why = why;
        note("w seq " + seq + " " + fate + " " + why);
    }

    private static byte[] payload(int stream, long seq, int length) {
        byte[] p = new byte[length];
        new SplittableRandom(stream * 0x9E3779B97F4A7C15L + seq).nextBytes(p);
        return p;
    }

    /** Bytes arrived (n of them at the start of data). */
    synchronized void arrived(MemorySegment data, long n) {
        bytes += n;
        note("r " + n + " bytes on " + Thread.currentThread().getName());
        if (corrupt) {
            return;
        }
        if (end != null) {
            fail(n + " bytes arrived after the stream ended (" + end + ")");
            corrupt = true;
            return;
        }
        if (len + n > buf.length) {
            byte[] bigger = new byte[Math.max(buf.length * 2, (int) (len + n))];
            System.arraycopy(buf, 0, bigger, 0, len);
            buf = bigger;
        }
        MemorySegment.copy(data, JAVA_BYTE, 0, buf, len, (int) n);
        len += (int) n;
        parse();
    }

    private void parse() {
        int at = 0;
        ByteBuffer b = ByteBuffer.wrap(buf, 0, len).order(ByteOrder.BIG_ENDIAN);
        while (len - at >= HEADER) {
            int magic = b.getInt(at);
            int stream = b.getInt(at + 4);
            long seq = b.getLong(at + 8);
            int length = b.getInt(at + 16);
            long crc = b.getInt(at + 20) & 0xFFFFFFFFL;
            if (magic != MAGIC || stream != id) {
                corrupt("bad header (magic " + Integer.toHexString(magic) + ", stream " + stream + ") after seq "
                        + lastSeq);
                return;
            }
            Sent s = ledger.get(seq);
            if (s == null) {
                corrupt("seq " + seq + " arrived but was never written (next " + nextSeq + ")");
                return;
            }
            if (seq <= lastSeq) {
                corrupt("seq " + seq + " arrived after seq " + lastSeq + " (duplicate or reordered)");
                return;
            }
            if (length != s.length || crc != s.crc) {
                corrupt("seq " + seq + " header says " + length + " bytes crc " + crc + ", written " + s.length
                        + " bytes crc " + s.crc);
                return;
            }
            if (len - at - HEADER < length) {
                break;
            }
            CRC32 c = new CRC32();
            c.update(buf, at + HEADER, length);
            if (c.getValue() != crc) {
                corrupt("seq " + seq + " payload checksum differs (what followed a truncated message, or corruption)");
                return;
            }
            received.add(seq);
            lastSeq = seq;
            at += HEADER + length;
        }
        System.arraycopy(buf, at, buf, 0, len - at);
        len -= at;
    }

    private void corrupt(String what) {
        corrupt = true;
        fail(what);
    }

    /** The reader's end: a clean end of stream (read 0), or why it stopped reading. */
    synchronized void ended(boolean eof, String why) {
        if (end != null) {
            fail("the reader ended twice: " + end + ", then " + why);
            return;
        }
        end = why;
        cleanEof = eof;
        note("end: " + why);
    }

    synchronized boolean endedCleanly() {
        return cleanEof;
    }

    synchronized void writerClosedGracefully() {
        writerClosedGracefully = true;
    }

    synchronized boolean readerEnded() {
        return end != null;
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized long frames() {
        return received.size();
    }

    /**
     * Once every write has settled and the reader has ended: a message cancelled or refused never arrived; a message
     * that succeeded is missing only after the last that arrived, and not at all if the stream ended cleanly after
     * a graceful close of the writer's end (no reset, which drops what the kernel still held); then also a truncated
     * tail belongs to a write that failed.
     */
    synchronized void verify() {
        if (corrupt) {
            return;
        }
        boolean whole = cleanEof && writerClosedGracefully;
        for (long seq : received) {
            Sent s = ledger.get(seq);
            if (s.fate == Fate.NOT_SENT || s.fate == Fate.PENDING) {
                fail("seq " + seq + " arrived but its write ended " + s.fate + " " + s.why);
            }
        }
        long tail = lastSeq;
        ops.count(whole ? "stream ended-graceful" : cleanEof ? "stream ended-eof-after-reset" : "stream ended-other");
        if (len > 0) {
            ByteBuffer b = ByteBuffer.wrap(buf, 0, len).order(ByteOrder.BIG_ENDIAN);
            if (len >= HEADER) {
                long seq = b.getLong(8);
                Sent s = ledger.get(seq);
                tail = seq;
                ops.count("stream truncated-tail of a write " + s.fate);
                if (s.fate == Fate.NOT_SENT || s.fate == Fate.PENDING || s.fate == Fate.OK && whole) {
                    fail("a truncated seq " + seq + " (" + (len - HEADER) + " of " + s.length
                            + " bytes) ends the stream, but its write ended " + s.fate + " " + s.why);
                }
            } else if (ledger.tailMap(lastSeq + 1).values().stream().allMatch(s -> s.fate == Fate.NOT_SENT)
                    || whole && ledger.values().stream().noneMatch(s -> s.fate == Fate.FAILED)) {
                fail(len + " stray bytes end the stream, and no write failed part-way");
            }
            if (cleanEof) {
                ops.count("stream truncated-before-eof" + (whole ? "-graceful" : ""));
            }
            ops.count("stream truncated-tail");
        }
        int i = 0;
        for (Map.Entry<Long, Sent> e : ledger.entrySet()) {
            long seq = e.getKey();
            boolean got = i < received.size() && received.get(i) == seq;
            if (got) {
                i++;
                continue;
            }
            if (e.getValue().fate != Fate.OK) {
                continue;
            }
            if (seq < tail) {
                fail("seq " + seq + " was written successfully but is missing, and seq " + tail
                        + " after it arrived");
            } else if (whole) {
                fail("seq " + seq + " was written successfully but the stream ended cleanly, after a graceful close,"
                        + " without it");
            } else {
                ops.count("stream ok-write-lost-to-close");
            }
        }
    }
}
