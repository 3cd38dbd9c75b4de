package io.ringloop;

import io.ringloop.binding.FeatureMask;
import io.ringloop.binding.KernelFeature;
import io.ringloop.binding.ProvidedBufferRing;
import io.ringloop.binding.SyscallLayer;
import io.ringloop.internal.IoRequest;
import io.ringloop.internal.LoopInternals;

import java.util.Objects;

/** What {@link LoopInternals} passes the I/O layer's calls to: a loop's and its options' package-private members. */
final class InternalAccess implements LoopInternals.Access {
    @Override
    public void submitIo(EventLoop loop, IoRequest request) {
        Objects.requireNonNull(request, "request");
        loop.requireLoopThread("submitIo");
        loop.agent.io().submit(request);
    }

    @Override
    public boolean cancelIo(EventLoop loop, IoRequest request) {
        Objects.requireNonNull(request, "request");
        loop.requireLoopThread("cancelIo");
        return loop.agent.io().cancel(request);
    }

    @Override
    public ProvidedBufferRing openBufferRing(EventLoop loop, int count, int bufferSize) {
        loop.requireLoopThread("openBufferRing");
        return loop.agent.buffers().openBufferRing(count, bufferSize);
    }

    @Override
    public boolean supports(EventLoop loop, KernelFeature feature) {
        return loop.supports(feature);
    }

    @Override
    public FeatureMask featureMask(LoopOptions options) {
        return options.featureMask();
    }

    @Override
    public void featureMask(LoopOptions.Builder builder, FeatureMask mask) {
        builder.featureMask(mask);
    }

    @Override
    public void syscalls(LoopOptions.Builder builder, SyscallLayer layer) {
        builder.syscalls(layer);
    }

    @Override
    public void count(EventLoop loop, LoopCounter counter, long n) {
        loop.counters.add(counter, n);
    }

    @Override
    public boolean recorderStarted() {
        return LoopEvents.started();
    }
}
