using System;
using System.Collections.Generic;
using BpfSkeleton.Handles;
using BpfSkeleton.Interop;
using BpfSkeleton.Kernel;
using BpfSkeleton.RingBuffer;

namespace BpfSkeleton.PerfBuffer
{
    /// <summary>
    /// Reads a BPF_MAP_TYPE_PERF_EVENT_ARRAY like libbpf's <c>perf_buffer</c>: one perf event ring
    /// per online CPU, stored into the map at the CPU's index so bpf_perf_event_output(...,
    /// BPF_F_CURRENT_CPU, ...) lands in it. Samples are handed out in place; lost-sample counts go
    /// to the lost handler. <see cref="Poll"/> and <see cref="Consume"/> are for one thread at a
    /// time; <see cref="Dispose"/> may run concurrently with them.
    /// </summary>
    public sealed class BpfPerfBuffer : IDisposable
    {
        private readonly PerfSampleHandler _onSample;
        private readonly PerfLostHandler? _onLost;
        private readonly BpfMap _map;
        private readonly PerfCpuRing[] _rings;
        private readonly EpollSet _epoll;
        private volatile bool _disposed;

        /// <param name="map">The PERF_EVENT_ARRAY the programs write to.</param>
        /// <param name="onSample">Called for every sample.</param>
        /// <param name="onLost">Called when the kernel reports dropped samples; optional.</param>
        /// <param name="pagesPerCpu">Data pages of each CPU's ring, a power of two.</param>
        public BpfPerfBuffer(BpfMap map, PerfSampleHandler onSample, PerfLostHandler? onLost = null, int pagesPerCpu = 8)
        {
            ArgumentNullException.ThrowIfNull(map);
            ArgumentNullException.ThrowIfNull(onSample);
            if (map.Type != BpfMapType.PerfEventArray)
                throw new ArgumentException($"{map} is not a BPF_MAP_TYPE_PERF_EVENT_ARRAY map.", nameof(map));
            if (pagesPerCpu <= 0 || (pagesPerCpu & (pagesPerCpu - 1)) != 0)
                throw new ArgumentOutOfRangeException(nameof(pagesPerCpu), pagesPerCpu, "The data pages of a perf ring must be a power of two.");
            _onSample = onSample;
            _onLost = onLost;

            var rings = new List<PerfCpuRing>();
            // Our own descriptor for the map, so the slots can be cleared on Dispose even if the
            // caller disposed the map first.
            _map = BpfMap.FromFd(map.Fd.Duplicate());
            _epoll = new EpollSet();
            try
            {
                foreach (int cpu in OnlineCpus.Read())
                {
                    if (cpu >= _map.MaxEntries)
                        break; // the map has no slot for this CPU, as libbpf skips it
                    var ring = new PerfCpuRing(cpu, pagesPerCpu);
                    rings.Add(ring);
                    using var eventFd = new FdLease(ring.Event);
                    _map.Update(cpu, eventFd.Fd);
                    _epoll.Add(ring.Event, Libc.EPOLLIN, (ulong)(rings.Count - 1));
                }
            }
            catch
            {
                foreach (var ring in rings)
                    ring.Dispose();
                _epoll.Dispose();
                _map.Dispose();
                throw;
            }
            _rings = rings.ToArray();
            Cpus = Array.ConvertAll(_rings, ring => ring.Cpu);
        }

        /// <summary>The CPUs that have a ring (online CPUs the map has a slot for).</summary>
        public IReadOnlyList<int> Cpus { get; }

        /// <summary>
        /// Waits up to <paramref name="timeoutMs"/> (-1: forever, 0: not at all) for samples, then reads
        /// the rings that have some. Returns the number of samples handed out.
        /// </summary>
        public int Poll(int timeoutMs)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            int ready = _epoll.Wait(timeoutMs);
            long total = 0;
            for (int i = 0; i < ready; i++)
                total += _rings[(int)_epoll.TokenAt(i)].Drain(_onSample, _onLost);
            return total > int.MaxValue ? int.MaxValue : (int)total;
        }

        /// <summary>Reads every CPU's ring without waiting. Returns the number of samples handed out.</summary>
        public int Consume()
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            long total = 0;
            foreach (var ring in _rings)
                total += ring.Drain(_onSample, _onLost);
            return total > int.MaxValue ? int.MaxValue : (int)total;
        }

        /// <summary>Reads only the ring of <paramref name="cpu"/>.</summary>
        public int ConsumeCpu(int cpu)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            foreach (var ring in _rings)
            {
                if (ring.Cpu == cpu)
                    return (int)Math.Min(ring.Drain(_onSample, _onLost), int.MaxValue);
            }
            throw new ArgumentOutOfRangeException(nameof(cpu), cpu, "This perf buffer has no ring for that CPU.");
        }

        /// <summary>Clears the map slots, closes the events and unmaps the rings.</summary>
        public void Dispose()
        {
            if (_disposed)
                return;
            _disposed = true;
            _epoll.Dispose();
            foreach (var ring in _rings)
            {
                // Programs writing afterwards get -ENOENT rather than writing into a closed event.
                _map.TryDelete(ring.Cpu);
                ring.Dispose();
            }
            _map.Dispose();
        }
    }
}
