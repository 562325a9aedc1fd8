using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;
using BpfSkeleton.Interop;
using BpfSkeleton.Kernel;
using BpfSkeleton.Loading;
using BpfSkeleton.Specs;

namespace BpfSkeleton.Light
{
    /// <summary>
    /// The light skeleton's back-end: performs a load plan by writing each bpf() call into a loader program
    /// (<c>BPF_PROG_TYPE_SYSCALL</c>, calling <c>bpf_sys_bpf</c>) and its data, instead of making it. Attrs are
    /// recorded whole; what only exists at run time is filled in by the loader before each call: fds of objects
    /// made by earlier steps (kept in its context, one slot each), and addresses inside its data. On the first
    /// failed call the loader closes every fd it made and returns the error; the context says which step.
    /// <para>
    /// The recorded data is never edited by user space: what is decided at run time (global data set since open,
    /// .kconfig, struct_ops layouts, USDT attach types) is the run's <em>inputs</em>, a buffer in the process named by
    /// the context, which the loader copies into its data with <c>bpf_copy_from_user</c> at the step that uses it.
    /// That keeps the loader's map exactly as recorded, so it can be hashed: a signable loader's map is exclusive to
    /// it and frozen before the load, and its first step checks the map's SHA-256 against the one its (signed)
    /// instructions hold. The signature so covers the loader and everything it loads except those inputs, which are
    /// the run's by design (as in libbpf's signed light skeletons).
    /// </para>
    /// </summary>
    internal sealed unsafe class LoaderRecorder : ILoadBackend
    {
        // Registers the loader keeps across helper calls.
        private const byte Context = 6, DataBase = 7, SavedError = 8, StepNumber = 9;
        private const int SysBpf = 166, BtfFindByNameKind = 167, SysClose = 168, CopyFromUser = 148, KallsymsLookupName = 179;

        private readonly ILoadSource _owner;
        private readonly LoaderAssembler _code = new();
        private readonly LoaderData _data = new();
        private readonly List<LoaderStep> _steps = new();
        private readonly List<LoaderDataImage> _images = new();
        private readonly List<int> _frozen = new();
        private readonly List<LoaderRunTimeField> _structOpsMaps = new();
        private readonly List<LoaderRunTimeField> _structOpsPrograms = new();
        private readonly List<LoaderRunTimeField> _usdtPrograms = new();
        private readonly int[] _mapSlots;
        private readonly int[] _programSlots;
        private readonly int[] _programKinds;
        private readonly int _failed;
        private readonly bool _signable;
        private readonly int[] _hashConstants = new int[4];
        private readonly List<LoaderInput> _inputs = new();
        private int _flushedInputs;
        private int _inputSize;
        private int _slots;
        private int _btfSlot = -1;

        private LoaderRecorder(ILoadSource owner, bool signable)
        {
            _signable = signable;
            _owner = owner;
            _mapSlots = new int[owner.Maps.Count];
            _programSlots = new int[owner.Programs.Count];
            _programKinds = new int[owner.Programs.Count];
            Array.Fill(_mapSlots, -1);
            Array.Fill(_programSlots, -1);
            _failed = _code.NewLabel();
            _code.Move(Context, 1);
            _code.LoadMapValueAddress(DataBase, LoaderMapIndex, 0);
            if (signable)
                CheckDataHash();
        }

        /// <summary>The loader map's index in the loader program's fd_array (its only entry).</summary>
        internal const int LoaderMapIndex = 0;

        /// <summary>Offsets in the kernel's <c>struct bpf_map</c> the hash check reads: the SHA-256 of a frozen map's value, then whether it is exclusive.</summary>
        private const int MapSha = 0, MapExclusive = 32;

        /// <summary>
        /// A signable loader's first step: the loader map must be exclusive to this program (map->excl) and its
        /// SHA-256 (map->sha, computed by the kernel when user space asks for the frozen map's hash) must be the
        /// one these instructions hold, placed at <see cref="Finish"/>. A zero hash (never computed) fails too.
        /// </summary>
        private void CheckDataHash()
        {
            Step(LoaderStepKind.CheckDataHash, -1, "check the loader's data against the SHA-256 its signed instructions hold");
            _code.MoveImmediate(0, -Errno.EINVAL);
            _code.LoadMapPointer(1, LoaderMapIndex);
            _code.Load(2, 1, MapExclusive, 4);
            _code.JumpIfNotEqual(2, 1, _failed);
            for (int i = 0; i < _hashConstants.Length; i++)
            {
                _code.Load(2, 1, MapSha + i * 8, 8);
                _hashConstants[i] = _code.LoadImmediate64(3, 0);
                _code.JumpIfNotEqualRegister(2, 3, _failed);
            }
        }

        /// <summary>
        /// Records the loader of an opened object (the caller checks it is opened): plans its load as a live load
        /// would, each bpf() call written into the loader instead of made. Refuses, naming each, what the light path
        /// cannot serve (<see cref="LightPathLimits"/>).
        /// </summary>
        public static BpfLoaderImage Record(ILoadSource owner, bool signable)
        {
            var refusals = LightPathLimits.Find(owner);
            if (refusals.Count > 0)
                throw new BpfLoadException(
                    $"{owner.Spec.FileName}: the light skeleton cannot load this object yet; use the regular skeleton, or change: {string.Join("; ", refusals)}");
            var recorder = new LoaderRecorder(owner, signable);
            ObjectLoader.Run(owner, new LoadPlan(owner), recorder);
            return recorder.Finish();
        }

        private BpfLoaderImage Finish()
        {
            _code.MoveImmediate(0, 0);
            _code.Exit();
            // Failure: say which step, close everything made so far, return the error.
            _code.Mark(_failed);
            _code.Store(Context, LoaderContext.FailedStep, StepNumber, 4);
            _code.Store(Context, LoaderContext.Error, 0, 4);
            _code.Move(SavedError, 0);
            for (int slot = 0; slot < _slots; slot++)
                CloseSlot(slot);
            _code.Move(0, SavedError);
            _code.Exit();
            CheckLimits();
            var data = _data.ToArray();
            if (_signable)
            {
                // The kernel hashes the array's value as it sits in memory; the check reads it as native u64 words.
                var hash = System.Security.Cryptography.SHA256.HashData(data);
                for (int i = 0; i < _hashConstants.Length; i++)
                    _code.SetImmediate64(_hashConstants[i], MemoryMarshal.Read<ulong>(hash.AsSpan(i * 8)));
            }
            var names = new string[_owner.Maps.Count];
            for (int i = 0; i < names.Length; i++) names[i] = _owner.Maps[i].Name;
            var programs = new string[_owner.Programs.Count];
            for (int i = 0; i < programs.Length; i++) programs[i] = _owner.Programs[i].Name;
            return new BpfLoaderImage(_owner.Spec.ObjectName, names, programs, _code.Finish(), data, _slots, _btfSlot,
                _mapSlots, _frozen.ToArray(), _programSlots, _programKinds, _steps.ToArray(), _images.ToArray(),
                _structOpsMaps.ToArray(), _structOpsPrograms.ToArray(), _usdtPrograms.ToArray(), _inputs.ToArray(), _inputSize, _signable, signature: null);
        }

        /// <summary>The loader runs on the target machine: its kernel does CO-RE and names attach targets.</summary>
        public bool DefersKernelFacts => true;

        // What one loader can hold: its data is one array map value (kmalloc'ed: at most 4 MiB); its context is
        // BPF_PROG_RUN's ctx_in (at most 64 KiB); its program is verified like any other (1M instructions).
        internal const int MaxDataSize = 4 << 20, MaxSlots = (ushort.MaxValue - LoaderContext.FirstFd) / 4, MaxInstructions = 1_000_000;

        private void CheckLimits()
        {
            string? problem = _data.Length > MaxDataSize ? $"its data takes {_data.Length} bytes, more than the {MaxDataSize} one map value holds"
                : _slots > MaxSlots ? $"it makes {_slots} kernel objects, more than the {MaxSlots} its context holds"
                : _code.Count > MaxInstructions ? $"it takes {_code.Count} instructions, more than the verifier's {MaxInstructions}"
                : null;
            if (problem is not null)
                throw Unsupported($"the loader is too large: {problem}");
        }

        public void LoadObjectBtf(byte[] rawBtf)
        {
            int btf = _data.Append(rawBtf);
            var attr = new BtfLoadAttr { BtfSize = (uint)rawBtf.Length };
            int at = _data.Append(attr);
            Step(LoaderStepKind.LoadBtf, -1, "load the object's BTF");
            SetAddress(at + Offset(&attr, &attr.Btf), btf);
            CopyLog(at + Offset(&attr, &attr.LogBuf), at + Offset(&attr, &attr.LogSize), at + Offset(&attr, &attr.LogLevel));
            _btfSlot = NewSlot();
            Call(BpfCommand.BtfLoad, at, sizeof(BtfLoadAttr), _btfSlot);
        }

        public void CreateMap(int map, MapCreation creation)
        {
            string name = _owner.Maps[map].Name;
            int inner = -1;
            if (creation.InnerTemplate is { } template)
            {
                inner = NewSlot();
                RecordCreate(map, template, inner, -1, $"create the inner map template of map '{name}'");
            }
            _mapSlots[map] = NewSlot();
            RecordCreate(map, creation, _mapSlots[map], inner, $"create map '{name}' ({creation.Options.Type})");
            if (inner >= 0)
            {
                // The kernel copied what it needs from the template; it is not kept.
                Step(LoaderStepKind.CloseTemporary, map, $"close the inner map template of map '{name}'");
                CloseSlot(inner);
            }
        }

        private void RecordCreate(int map, MapCreation creation, int slot, int innerSlot, string description)
        {
            if (creation.ValueTypeModule is { } module)
                throw Unsupported($"map '{_owner.Maps[map].Name}' takes its value type from kernel module '{module}'");
            var attr = BpfMap.DescribeCreate(creation.Options);
            int at = _data.Append(attr);
            // The kernel's struct_ops layout is the running kernel's: user space sets these before the run.
            if (innerSlot < 0 && slot == _mapSlots[map] && _owner.Maps[map].Spec.StructOps is not null)
                _structOpsMaps.Add(new LoaderRunTimeField(map, Input(at + Offset(&attr, &attr.ValueSize), 4), Input(at + Offset(&attr, &attr.BtfVmlinuxValueTypeId), 4)));
            Step(LoaderStepKind.CreateMap, map, description);
            if (creation.WithObjectBtf)
                SetFd(at + Offset(&attr, &attr.BtfFd), _btfSlot);
            if (innerSlot >= 0)
                SetFd(at + Offset(&attr, &attr.InnerMapFd), innerSlot);
            Call(BpfCommand.MapCreate, at, sizeof(MapCreateAttr), slot);
        }

        public bool TryReusePinned(int map, string path, MapCreation expected)
            => throw Unsupported($"map '{_owner.Maps[map].Name}' is pinned at {path}");

        public void UseGivenMap(int map, BpfMap given, MapCreation expected)
            => throw Unsupported($"map '{_owner.Maps[map].Name}' reuses a map given at run time");

        public void Pin(int map, string path) => throw Unsupported($"map '{_owner.Maps[map].Name}' is pinned at {path}");

        public void MapArena(int map) => throw Unsupported($"map '{_owner.Maps[map].Name}' is an arena");

        public void PlaceArenaGlobals(int map, long offset, byte[] image) => throw Unsupported($"map '{_owner.Maps[map].Name}' is an arena");

        public bool IsReused(int map) => false;

        public bool Exists(KernelRef target) => target.Kind switch
        {
            KernelRefKind.Map => _mapSlots[target.Index] >= 0,
            KernelRefKind.Program => _programSlots[target.Index] >= 0,
            _ => true,
        };

        public void InitializeData(int map, byte[] image, bool write, bool freeze)
        {
            string name = _owner.Maps[map].Name;
            // Written even where a live load would skip it (write false: an all-zero .bss), because what the user
            // sets before a later load goes into this image at run time.
            int value = _data.Append(image);
            _images.Add(new LoaderDataImage(map, Input(value, image.Length), image.Length));
            UpdateElement(map, _data.AppendUInt32(0), value, $"write the initial value of map '{name}'");
            if (freeze)
            {
                var attr = new MapElemAttr();
                int at = _data.Append(attr);
                Step(LoaderStepKind.FreezeMap, map, $"freeze map '{name}'");
                SetFd(at + Offset(&attr, &attr.MapFd), _mapSlots[map]);
                Call(BpfCommand.MapFreeze, at, sizeof(MapElemAttr), -1);
                _frozen.Add(map);
            }
        }

        public void WriteSlot(int map, uint slot, KernelRef target)
        {
            int value = _data.AppendUInt32(0);
            UpdateElement(map, _data.AppendUInt32(slot), value, $"write slot {slot} of map '{_owner.Maps[map].Name}' ({target})", valueFd: SlotOf(target));
        }

        private void UpdateElement(int map, int key, int value, string description, int valueFd = -1)
        {
            var attr = new MapElemAttr();
            int at = _data.Append(attr);
            Step(LoaderStepKind.WriteMap, map, description);
            SetFd(at + Offset(&attr, &attr.MapFd), _mapSlots[map]);
            SetAddress(at + Offset(&attr, &attr.Key), key);
            SetAddress(at + Offset(&attr, &attr.ValueOrNextKey), value);
            if (valueFd >= 0)
                SetFd(value, valueFd);
            Call(BpfCommand.MapUpdateElem, at, sizeof(MapElemAttr), -1);
        }

        /// <remarks><paramref name="boundMap"/> is not recorded: the planner binds nothing for a back-end that defers kernel facts.</remarks>
        public void LoadProgram(int program, ProgramLoad load, int boundMap)
        {
            var options = load.Options;
            string name = _owner.Programs[program].Name;
            if (load.AttachModule is { } module)
                throw Unsupported($"program '{name}' attaches to a type of kernel module '{module}'");
            if (options.AttachProgram is not null)
                throw Unsupported($"program '{name}' attaches to another BPF program");

            int code = _data.Append(MemoryMarshal.AsBytes(load.Code.AsSpan()));
            int license = _data.Append(Encoding.UTF8.GetBytes(options.License + "\0"));
            int funcInfo = options.FuncInfo.IsEmpty ? -1 : _data.Append(options.FuncInfo.Span);
            int lineInfo = options.LineInfo.IsEmpty ? -1 : _data.Append(options.LineInfo.Span);
            // Deferred kfuncs get fd_array entries of their own after the planned ones (slot 0 stays vmlinux).
            int kfuncs = 0;
            foreach (var symbol in load.KernelSymbols)
                if (symbol.Kind == KernelSymbolKind.KfuncCall) kfuncs++;
            int plannedFds = kfuncs > 0 ? Math.Max(load.FdArray.Count, 1) : load.FdArray.Count;
            int fdArray = plannedFds + kfuncs == 0 ? -1 : _data.Reserve((plannedFds + kfuncs) * 4);
            int coreRelocations = load.CoreRelocations is { } records ? _data.Append(records) : -1;
            var attr = BpfProgramHandle.DescribeLoad(options, load.Code.Length);
            if (load.CoreRelocations is not null)
            {
                attr.CoreReloCount = (uint)(load.CoreRelocations.Length / CoreRelocationSize);
                attr.CoreReloRecSize = CoreRelocationSize;
            }
            int at = _data.Append(attr);
            int targetModule = load.AttachTarget is { } target
                ? FindKernelType(program, target, at + Offset(&attr, &attr.AttachBtfId), at + Offset(&attr, &attr.AttachProgOrBtfObjFd))
                : -1;

            var modules = new List<int>();
            int nextFd = plannedFds;
            foreach (var symbol in load.KernelSymbols)
                modules.Add(ResolveSymbol(program, symbol, code, symbol.Kind == KernelSymbolKind.KfuncCall ? fdArray + nextFd * 4 : -1,
                    symbol.Kind == KernelSymbolKind.KfuncCall ? nextFd++ : 0));

            // A struct_ops program's target is the running kernel's struct and member: run-time inputs.
            if (_owner.Programs[program].IsStructOps)
                _structOpsPrograms.Add(new LoaderRunTimeField(program, Input(at + Offset(&attr, &attr.AttachBtfId), 4), Input(at + Offset(&attr, &attr.ExpectedAttachType), 4)));
            // A USDT program takes uprobe.multi links where the running kernel has them, as a regular load decides.
            if (_owner.Programs[program].Spec.Definition is { IsUsdt: true } && options.ExpectedAttachType is null)
                _usdtPrograms.Add(new LoaderRunTimeField(program, Input(at + Offset(&attr, &attr.ExpectedAttachType), 4), 0));
            Step(LoaderStepKind.LoadProgram, program, $"load program '{name}' ({options.Type})");
            foreach (var fixup in load.Fixups)
            {
                int instruction = fixup.Field == FdField.Immediate ? fixup.InstructionIndex : fixup.InstructionIndex + 1;
                if (SlotOf(fixup.Target) is var slot and >= 0)
                    SetFd(code + instruction * 8 + 4, slot);
            }
            for (int i = 0; i < load.FdArray.Count; i++)
                if (SlotOf(load.FdArray[i]) is var slot and >= 0)
                    SetFd(fdArray + i * 4, slot);
            SetAddress(at + Offset(&attr, &attr.Insns), code);
            SetAddress(at + Offset(&attr, &attr.License), license);
            if (funcInfo >= 0) SetAddress(at + Offset(&attr, &attr.FuncInfo), funcInfo);
            if (lineInfo >= 0) SetAddress(at + Offset(&attr, &attr.LineInfo), lineInfo);
            if (fdArray >= 0) SetAddress(at + Offset(&attr, &attr.FdArray), fdArray);
            if (coreRelocations >= 0) SetAddress(at + Offset(&attr, &attr.CoreRelos), coreRelocations);
            if (load.WithObjectBtf) SetFd(at + Offset(&attr, &attr.ProgBtfFd), _btfSlot);
            CopyLog(at + Offset(&attr, &attr.LogBuf), at + Offset(&attr, &attr.LogSize), at + Offset(&attr, &attr.LogLevel));
            _programKinds[program] = BpfLoaderImage.ProgramKind(options.Type, options.ExpectedAttachType);
            _programSlots[program] = NewSlot();
            Call(BpfCommand.ProgLoad, at, sizeof(ProgLoadAttr), _programSlots[program]);
            // The program holds its own references to module BTF.
            if (targetModule >= 0)
                CloseSlot(targetModule);
            foreach (int moduleSlot in modules)
                CloseSlot(moduleSlot);
        }

        /// <summary>
        /// Resolves one deferred kernel symbol in the running kernel and patches the instruction that uses it; a
        /// weak symbol the kernel lacks leaves the instruction as planned (0). Returns the slot that holds a
        /// module's BTF fd, to be closed after the load.
        /// </summary>
        private int ResolveSymbol(int program, KernelSymbolUse symbol, int code, int fdArrayEntry, int fdArrayIndex)
        {
            int instruction = code + symbol.InstructionIndex * 8;
            int name = _data.Append(Encoding.UTF8.GetBytes(symbol.Name + "\0"));
            int nameSize = Encoding.UTF8.GetByteCount(symbol.Name) + 1;
            int module = NewSlot();
            int done = _code.NewLabel();
            string programName = _owner.Programs[program].Name;
            if (symbol.Kind == KernelSymbolKind.Address)
            {
                int address = _data.Reserve(8);
                Step(LoaderStepKind.FindKernelSymbol, program, $"find ksym '{symbol.Name}' in kallsyms for program '{programName}'");
                _code.Move(1, DataBase);
                _code.AddImmediate(1, name);
                _code.MoveImmediate(2, nameSize);
                _code.MoveImmediate(3, 0);
                _code.Move(4, DataBase);
                _code.AddImmediate(4, address);
                _code.Call(KallsymsLookupName);
                if (symbol.IsWeak) _code.JumpIfNegative(0, done);
                else _code.JumpIfNegative(0, _failed);
                _code.Load(1, DataBase, address, 4);
                _code.Store(DataBase, instruction + 4, 1, 4);
                _code.Load(1, DataBase, address + 4, 4);
                _code.Store(DataBase, instruction + 12, 1, 4);
                _code.Mark(done);
                return module;
            }

            bool isCall = symbol.Kind == KernelSymbolKind.KfuncCall;
            var kind = isCall ? Btf.BtfKind.Func : Btf.BtfKind.Var;
            Step(LoaderStepKind.FindKernelSymbol, program, $"find {(isCall ? "kfunc" : "ksym")} '{symbol.Name}' in the kernel's BTF for program '{programName}'");
            _code.Move(1, DataBase);
            _code.AddImmediate(1, name);
            _code.MoveImmediate(2, nameSize);
            _code.MoveImmediate(3, (int)kind);
            _code.MoveImmediate(4, 0);
            _code.Call(BtfFindByNameKind);
            if (symbol.IsWeak) _code.JumpIfNegative(0, done);
            else _code.JumpIfNegative(0, _failed);
            _code.Store(DataBase, instruction + 4, 0, 4); // the BTF id
            if (!isCall)
            {
                // Found: the LD_IMM64 becomes BPF_PSEUDO_BTF_ID (dst_reg kept, src_reg 3).
                _code.Load(1, DataBase, instruction + 1, 1);
                _code.AddImmediate(1, BpfOpcodes.PseudoBtfId << 4);
                _code.Store(DataBase, instruction + 1, 1, 1);
            }
            _code.ShiftRightImmediate(0, 32);
            _code.JumpIfZero(0, done); // vmlinux: no module fd
            _code.Store(Context, LoaderContext.Fd(module), 0, 4);
            if (isCall)
            {
                _code.Store(DataBase, fdArrayEntry, 0, 4);
                _code.MoveImmediate(1, fdArrayIndex);
                _code.Store(DataBase, instruction + 2, 1, 2); // insn->off indexes fd_array
            }
            else
            {
                _code.Store(DataBase, instruction + 12, 0, 4); // the module's BTF fd in the second imm
            }
            _code.Mark(done);
            return module;
        }

        private const int CoreRelocationSize = 16;

        /// <summary>
        /// bpf_btf_find_by_name_kind in the running kernel (vmlinux, then modules): the id goes into the attr's
        /// attach_btf_id, a module's BTF fd into attach_btf_obj_fd and a temporary slot, which is returned.
        /// </summary>
        private int FindKernelType(int program, KernelTypeName target, int idField, int objectFdField)
        {
            int name = _data.Append(Encoding.UTF8.GetBytes(target.Name + "\0"));
            int module = NewSlot();
            Step(LoaderStepKind.FindKernelType, program, $"find {target.Kind} '{target.Name}' in the kernel's BTF for program '{_owner.Programs[program].Name}'");
            _code.Move(1, DataBase);
            _code.AddImmediate(1, name);
            _code.MoveImmediate(2, Encoding.UTF8.GetByteCount(target.Name) + 1);
            _code.MoveImmediate(3, (int)target.Kind);
            _code.MoveImmediate(4, 0);
            _code.Call(BtfFindByNameKind);
            _code.JumpIfNegative(0, _failed);
            _code.Store(DataBase, idField, 0, 4);
            _code.ShiftRightImmediate(0, 32);
            _code.Store(DataBase, objectFdField, 0, 4);
            int vmlinux = _code.NewLabel();
            _code.JumpIfZero(0, vmlinux); // vmlinux: no fd to keep
            _code.Store(Context, LoaderContext.Fd(module), 0, 4);
            _code.Mark(vmlinux);
            return module;
        }

        private int SlotOf(KernelRef target) => target.Kind switch
        {
            KernelRefKind.None => -1,
            KernelRefKind.Map => _mapSlots[target.Index] >= 0 ? _mapSlots[target.Index]
                : throw new InvalidOperationException($"map #{target.Index} is used before it is created"),
            KernelRefKind.Program => _programSlots[target.Index] >= 0 ? _programSlots[target.Index]
                : throw new InvalidOperationException($"program #{target.Index} is used before it is loaded"),
            _ => throw Unsupported($"a reference to kernel module BTF '{target.Module}'"),
        };

        private int NewSlot() => _slots++;

        /// <summary>Closes the fd in <paramref name="slot"/>, if any, and marks the slot empty (-1).</summary>
        private void CloseSlot(int slot)
        {
            _code.Load(1, Context, LoaderContext.Fd(slot), 4);
            _code.SkipIfNegative32(1, 3);
            _code.Call(SysClose);
            // Through a register: the verifier refuses BPF_ST into the context.
            _code.MoveImmediate(1, -1);
            _code.Store(Context, LoaderContext.Fd(slot), 1, 4);
        }

        private void Step(LoaderStepKind kind, int subject, string description)
        {
            _steps.Add(new LoaderStep(kind, subject, description));
            _code.MoveImmediate(StepNumber, _steps.Count);
            // The inputs this step uses arrive now, so a failed copy is this step's.
            for (; _flushedInputs < _inputs.Count; _flushedInputs++)
            {
                var (data, input, size) = _inputs[_flushedInputs];
                _code.Move(1, DataBase);
                _code.AddImmediate(1, data);
                _code.MoveImmediate(2, size);
                _code.Load(3, Context, LoaderContext.Inputs, 8);
                _code.AddImmediate(3, input);
                _code.Call(CopyFromUser);
                _code.JumpIfNegative(0, _failed);
            }
        }

        /// <summary>
        /// <paramref name="size"/> bytes at <paramref name="dataOffset"/> of the data come from the run's inputs, copied
        /// in by the next step; returns where in the inputs user space puts them.
        /// </summary>
        private int Input(int dataOffset, int size)
        {
            int input = _inputSize;
            _inputSize += (size + 7) & ~7;
            if (size > 0)
                _inputs.Add(new LoaderInput(dataOffset, input, size));
            return input;
        }

        /// <summary>The loader stores the fd in <paramref name="slot"/> at <paramref name="offset"/> of its data.</summary>
        private void SetFd(int offset, int slot)
        {
            // A negative slot would read the context's header as an fd: a planning bug, caught while recording.
            if (slot < 0) throw new InvalidOperationException($"the loader's step {_steps.Count} uses a kernel object no earlier step made");
            _code.Load(1, Context, LoaderContext.Fd(slot), 4);
            _code.Store(DataBase, offset, 1, 4);
        }

        /// <summary>The loader stores the address of its data at <paramref name="target"/> into the u64 at <paramref name="offset"/>.</summary>
        private void SetAddress(int offset, int target)
        {
            _code.Move(1, DataBase);
            _code.AddImmediate(1, target);
            _code.Store(DataBase, offset, 1, 8);
        }

        /// <summary>The verifier log the caller asked for (none on a first run) goes into a BTF or program load's attr.</summary>
        private void CopyLog(int buffer, int size, int level)
        {
            _code.Load(1, Context, LoaderContext.LogBuffer, 8);
            _code.Store(DataBase, buffer, 1, 8);
            _code.Load(1, Context, LoaderContext.LogSize, 4);
            _code.Store(DataBase, size, 1, 4);
            _code.Load(1, Context, LoaderContext.LogLevel, 4);
            _code.Store(DataBase, level, 1, 4);
        }

        /// <summary>bpf_sys_bpf(command, data + attr, size); on error to the failure path, else the fd into <paramref name="resultSlot"/>.</summary>
        private void Call(BpfCommand command, int attr, int size, int resultSlot)
        {
            _code.MoveImmediate(1, (int)command);
            _code.Move(2, DataBase);
            _code.AddImmediate(2, attr);
            _code.MoveImmediate(3, size);
            _code.Call(SysBpf);
            _code.JumpIfNegative(0, _failed);
            if (resultSlot >= 0)
                _code.Store(Context, LoaderContext.Fd(resultSlot), 0, 4);
        }

        private static int Offset<T>(T* start, void* field) where T : unmanaged => (int)((byte*)field - (byte*)start);

        private BpfLoadException Unsupported(string what)
            => new($"{_owner.Spec.FileName}: the light skeleton cannot load this object yet: {what}; use the regular skeleton");
    }
}
