using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using BpfSkeleton.Elf;
using BpfSkeleton.Generator.Model;
using BpfSkeleton.Specs;

namespace BpfSkeleton.Generator
{
    /// <summary>
    /// Turns one encoded object into a <see cref="SkeletonModel"/>: decodes it, parses it with the
    /// shared object model, strips debug sections and maps BTF to C# types. Never throws (except on
    /// cancellation): bad input becomes diagnostics.
    /// </summary>
    internal static class SkeletonParser
    {
        /// <summary>Names the skeleton class declares itself; generated members and types must avoid them.</summary>
        internal static readonly string[] ReservedMembers =
        {
            "ObjectBytes", "ObjectFileName", "ObjectBase64", "s_objectBytes", "LoaderBase64", "IsLight", "s_loader", "Open", "Load", "Attach", "Detach", "Dispose", "State", "Object",
            "Programs", "Maps", "Links", "StructOps", "ProgramsView", "MapsView", "StructOpsView",
        };

        public static ParseResult Parse(SkeletonInput input, CancellationToken cancellationToken)
        {
            var diagnostics = new DiagnosticSink(input.SourcePath);
            try
            {
                return new ParseResult(Build(input, diagnostics, cancellationToken), diagnostics.ToArray());
            }
            catch (OperationCanceledException)
            {
                throw;
            }
            catch (BpfFormatException e)
            {
                diagnostics.Report(DiagnosticDescriptors.InvalidObject.Id, Describe(e));
            }
            catch (Exception e)
            {
                // Bad input is a BpfFormatException; anything else is our fault, reported as such: the exception,
                // the method that threw it (what a bug report needs) and the way around it, never a stack dump.
                diagnostics.Report(DiagnosticDescriptors.GeneratorFault.Id, e.GetType().Name, ThrowingMethod(e), OneLine(e.Message));
            }
            return new ParseResult(null, diagnostics.ToArray());
        }

        /// <summary>The innermost method of the fault, e.g. <c>TypeMapper.Map</c>.</summary>
        internal static string ThrowingMethod(Exception e)
        {
            var method = e.TargetSite;
            return method is null ? "an unknown method" : method.DeclaringType is { } type ? type.Name + "." + method.Name : method.Name;
        }

        private static string OneLine(string message) => message.Replace("\r", " ").Replace("\n", " ");

        private static string Describe(BpfFormatException e)
            => e.Section is null
                ? $"at offset 0x{e.Offset:x}: {e.Problem}"
                : $"section '{e.Section}' at offset 0x{e.Offset:x}: {e.Problem}";

        private static SkeletonModel? Build(SkeletonInput input, DiagnosticSink diagnostics, CancellationToken cancellationToken)
        {
            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(input.Content.Trim());
            }
            catch (FormatException e)
            {
                diagnostics.Report(DiagnosticDescriptors.UnreadableEncoding.Id, input.TextPath, e.Message);
                return null;
            }
            cancellationToken.ThrowIfCancellationRequested();

            var fileName = Path.GetFileName(input.SourcePath);
            var spec = BpfObjectSpec.Parse(bytes, fileName);
            cancellationToken.ThrowIfCancellationRequested();

            var className = ChooseClassName(input, spec, diagnostics);
            var ns = input.Namespace;
            if (!Naming.IsNamespace(ns))
            {
                diagnostics.Report(DiagnosticDescriptors.InvalidName.Id, "BpfSkeletonNamespace", ns, "namespace", "the global namespace");
                ns = "";
            }
            var visibility = input.Visibility == "internal" ? "internal" : "public";

            byte[] embedded;
            try
            {
                embedded = ElfStripper.Strip(spec.Elf);
            }
            catch (BpfFormatException e)
            {
                diagnostics.Report(DiagnosticDescriptors.StripFailed.Id, Describe(e));
                embedded = bytes;
            }

            var classScope = new NameScope("class " + className, diagnostics, ReservedMembers);
            classScope.Claim(className, className);
            if (spec.Btf is null)
                diagnostics.Report(DiagnosticDescriptors.NoBtf.Id);

            var dataSections = new List<(DataSectionSpec Spec, string Property, string View)>();
            foreach (var data in spec.DataSections)
            {
                // As bpftool: a section whose variables are all static (or __hidden) has no view, not an empty one.
                if (spec.Btf is not null && !HasExposedVariable(data)) continue;
                var property = classScope.Claim(Naming.PascalCase(data.SectionName), data.SectionName);
                dataSections.Add((data, property, classScope.Claim(property + "View", data.SectionName)));
            }
            if (spec.ArenaGlobals is { } arenaGlobals)
            {
                // libbpf's skeletons call these skel->arena; Maps.Arena is the arena map itself.
                var property = classScope.Claim("ArenaGlobals", arenaGlobals.SectionName);
                dataSections.Add((arenaGlobals, property, classScope.Claim(property + "View", arenaGlobals.SectionName)));
            }

            var mapper = spec.Btf is null ? null : new TypeMapper(spec.Btf, classScope, diagnostics, spec.Elf.IsLittleEndian);
            var programs = BuildPrograms(spec, diagnostics);
            var maps = BuildMaps(spec, mapper, diagnostics);
            cancellationToken.ThrowIfCancellationRequested();
            var views = new List<DataSectionModel>();
            foreach (var (data, property, view) in dataSections)
                views.Add(BuildDataSection(data, property, view, mapper, diagnostics));
            var structOps = BuildStructOps(spec, mapper, classScope, diagnostics);

            return new SkeletonModel(input.SourcePath, fileName, ns, className, visibility, new EquatableBytes(embedded), bytes.Length,
                mapper is not null, programs, maps, views.ToEquatableArray(), structOps,
                (mapper?.Definitions ?? new List<TypeDefinition>()).ToEquatableArray());
        }

        private static string ChooseClassName(SkeletonInput input, BpfObjectSpec spec, DiagnosticSink diagnostics)
        {
            var fallback = Naming.PascalCase(spec.ObjectName) + "Skeleton";
            if (string.IsNullOrEmpty(input.ClassName)) return fallback;
            if (Naming.IsIdentifier(input.ClassName!)) return input.ClassName!;
            diagnostics.Report(DiagnosticDescriptors.InvalidName.Id, "BpfSkeletonClassName", input.ClassName!, "class name", fallback);
            return fallback;
        }

        private static EquatableArray<ProgramModel> BuildPrograms(BpfObjectSpec spec, DiagnosticSink diagnostics)
        {
            var scope = new NameScope("Programs", diagnostics, "ProgramsView", "Object");
            var programs = new List<ProgramModel>();
            foreach (var program in spec.Programs)
            {
                var property = scope.Claim(Naming.PascalCase(program.Name), program.Name);
                if (program.Definition is null)
                    diagnostics.Report(DiagnosticDescriptors.UnknownSection.Id, program.Name, program.SectionName, property);
                programs.Add(new ProgramModel(property, program.Name, program.SectionName, program.Type.ToString()));
            }
            return programs.ToEquatableArray();
        }

        private static EquatableArray<MapModel> BuildMaps(BpfObjectSpec spec, TypeMapper? mapper, DiagnosticSink diagnostics)
        {
            var scope = new NameScope("Maps", diagnostics, "MapsView", "Object");
            var maps = new List<MapModel>();
            foreach (var map in spec.Maps)
            {
                if (map.Origin == MapOrigin.InnerTemplate) continue;
                var wanted = Naming.PascalCase(map.DataSection?.SectionName ?? map.Name);
                var property = scope.Claim(wanted, map.Name);
                TypeRef? key = null, value = null;
                if (mapper is not null && map.Origin == MapOrigin.Declared)
                {
                    if (map.KeyTypeId != 0) key = mapper.Map(map.KeyTypeId, wanted + "Key");
                    if (map.ValueTypeId != 0) value = mapper.Map(map.ValueTypeId, wanted + "Value");
                }
                maps.Add(new MapModel(property, map.Name, map.Type.ToString(), map.Origin.ToString(), key, value));
            }
            return maps.ToEquatableArray();
        }

        private static bool HasExposedVariable(DataSectionSpec data)
        {
            foreach (var variable in data.Variables)
                if (variable.IsGlobal && variable.Size > 0) return true;
            return false;
        }

        private static DataSectionModel BuildDataSection(DataSectionSpec data, string property, string view, TypeMapper? mapper, DiagnosticSink diagnostics)
        {
            var scope = new NameScope(view, diagnostics, view, "Section");
            var variables = new List<VariableModel>();
            if (mapper is not null)
            {
                foreach (var variable in data.Variables)
                {
                    // Static variables are private to the BPF program, as in libbpf skeletons.
                    if (!variable.IsGlobal || variable.Size == 0) continue;
                    var wanted = Naming.PascalCase(variable.Name);
                    var type = mapper.Map(variable.TypeId, property + wanted);
                    if (type.Size != variable.Size)
                    {
                        mapper.ReportUntyped("variable", variable.Name, type.CType, "bytes", $"its BTF type is {type.Size} bytes but the variable is {variable.Size}");
                        type = TypeMapper.Bytes(variable.Size, type.CType);
                    }
                    else if (type.Shape == ValueShape.Bytes)
                        mapper.ReportUntyped("variable", variable.Name, type.CType, "bytes", "C# has no equivalent type");
                    variables.Add(new VariableModel(scope.Claim(wanted, variable.Name), variable.Name, variable.Offset, variable.Size, type));
                }
            }
            return new DataSectionModel(property, view, data.SectionName, data.IsReadOnly, data.Size, variables.ToEquatableArray(),
                IsArena: data.Kind == DataSectionKind.Arena);
        }

        private static EquatableArray<StructOpsModel> BuildStructOps(BpfObjectSpec spec, TypeMapper? mapper, NameScope classScope, DiagnosticSink diagnostics)
        {
            if (mapper is null) return EquatableArray<StructOpsModel>.Empty;
            var shadows = new ShadowBuilder(mapper, classScope, diagnostics);
            var scope = new NameScope("StructOps", diagnostics, "StructOpsView", "Object");
            var models = new List<StructOpsModel>();
            foreach (var structOps in spec.StructOps)
                models.Add(new StructOpsModel(scope.Claim(Naming.PascalCase(structOps.Name), structOps.Name), structOps.Name,
                    shadows.ShadowFor(structOps), "struct " + structOps.TypeName, structOps.SectionName));
            return models.ToEquatableArray();
        }
    }
}
