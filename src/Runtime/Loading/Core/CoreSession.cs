using System;
using System.Collections.Generic;
using BpfSkeleton.Btf;
using BpfSkeleton.Specs;

namespace BpfSkeleton.Loading
{
    /// <summary>
    /// CO-RE state for one object load: the target BTF (vmlinux or a custom file), module BTF to
    /// search when vmlinux has no candidate, per-local-type candidate lists narrowed as
    /// relocations succeed (as libbpf narrows its cache), and results memoized per relocation so
    /// the same access in thirty programs is computed once.
    /// </summary>
    internal sealed class CoreSession
    {
        private readonly BtfSpec _target;
        private readonly Func<IReadOnlyList<BtfSpec>>? _modules;
        private readonly Dictionary<int, LoaderList<CoreCandidate>> _candidates = new();
        private readonly Dictionary<ResolvedKey, Resolved> _resolved = new();

        // modules: module BTF to search after vmlinux; null for a custom target (libbpf searches only that file).
        public CoreSession(BpfObjectSpec spec, BtfSpec target, Func<IReadOnlyList<BtfSpec>>? modules)
        {
            Spec = spec;
            Local = spec.Btf ?? throw new BpfLoadException($"{spec.FileName}: CO-RE relocations need the object's BTF (.BTF section)");
            _target = target;
            _modules = modules;
        }

        public BpfObjectSpec Spec { get; }
        public BtfSpec Local { get; }

        /// <summary>A relocation's local spec and result.</summary>
        public sealed class Resolved
        {
            public Resolved(CoreSpec local, CoreResult result)
            {
                Local = local;
                Result = result;
            }

            public CoreSpec Local { get; }
            public CoreResult Result { get; }
        }

        /// <summary>
        /// What a resolution depends on. A class rather than a tuple: a dictionary keyed by a struct is
        /// JIT-compiled at start even when this assembly is precompiled (ReadyToRun).
        /// </summary>
        private sealed class ResolvedKey : IEquatable<ResolvedKey>
        {
            private readonly int _typeId;
            private readonly BtfCoreReloKind _kind;
            private readonly string _access;

            public ResolvedKey(int typeId, BtfCoreReloKind kind, string access)
            {
                _typeId = typeId;
                _kind = kind;
                _access = access;
            }

            public bool Equals(ResolvedKey? other)
                => other is not null && other._typeId == _typeId && other._kind == _kind && other._access == _access;

            public override bool Equals(object? obj) => Equals(obj as ResolvedKey);

            public override int GetHashCode() => (_typeId * 31 + (int)_kind) * 31 + _access.GetHashCode();
        }

        /// <summary>bpf_core_calc_relo_insn; throws <see cref="CoreRelocationException"/> for malformed or ambiguous relocations.</summary>
        public Resolved Resolve(CoreRelocationRecord record)
        {
            var key = new ResolvedKey(record.TypeId, record.Kind, record.AccessString);
            if (_resolved.TryGetValue(key, out var known)) return known;

            var local = CoreSpec.ParseLocal(Local, record.TypeId, record.Kind, record.AccessString, out var problem)
                ?? throw new CoreRelocationException(problem!);
            CoreResult result;
            if (record.Kind == BtfCoreReloKind.TypeIdLocal)
            {
                // The linker may renumber types, so the compiled value is not checked.
                result = new CoreResult { OriginalValue = (ulong)record.TypeId, NewValue = (ulong)record.TypeId, Validate = false, Target = local };
            }
            else
            {
                if (!Local.GetType(record.TypeId).HasName)
                    throw new CoreRelocationException($"the local type {Local.GetTypeName(record.TypeId)} is anonymous; CO-RE needs a named type");
                result = Match(local, Candidates(record.TypeId));
            }
            known = new Resolved(local, result);
            _resolved[key] = known;
            return known;
        }

        private static CoreResult Match(CoreSpec local, LoaderList<CoreCandidate> candidates)
        {
            CoreResult? chosen = null;
            var kept = 0;
            for (var i = 0; i < candidates.Count; i++)
            {
                var target = local.Match(candidates[i].Btf, candidates[i].Id);
                if (target is null) continue;
                var result = CoreResult.Calculate(local, target);
                if (chosen is null)
                {
                    chosen = result;
                }
                else if (target.BitOffset != chosen.Target!.BitOffset)
                {
                    throw new CoreRelocationException(
                        $"field offset ambiguity: {chosen.Target.Describe()} at bit {chosen.Target.BitOffset} vs {target.Describe()} at bit {target.BitOffset}");
                }
                else if (result.Poison != chosen.Poison || result.NewValue != chosen.NewValue)
                {
                    throw new CoreRelocationException(
                        $"candidates disagree: {chosen.Target.Describe()} gives {chosen.NewValue}, {target.Describe()} gives {result.NewValue}");
                }
                candidates[kept++] = candidates[i];
            }
            // Later relocations of this type only consider the candidates that fit this one (libbpf does the same).
            if (kept > 0) candidates.Truncate(kept);
            return chosen ?? CoreResult.Calculate(local, null);
        }

        /// <summary>bpf_core_find_cands: vmlinux (or the custom target) first, modules only if it has none.</summary>
        private LoaderList<CoreCandidate> Candidates(int localTypeId)
        {
            if (_candidates.TryGetValue(localTypeId, out var list)) return list;
            list = new LoaderList<CoreCandidate>();
            CoreCandidates.For(_target).Find(Local, localTypeId, list);
            if (list.Count == 0 && _modules is not null)
                foreach (var module in _modules())
                    CoreCandidates.For(module).Find(Local, localTypeId, list);
            _candidates[localTypeId] = list;
            return list;
        }
    }
}
