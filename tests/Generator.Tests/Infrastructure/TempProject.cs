using System;
using System.Collections.Generic;
using System.IO;

namespace BpfSkeleton.Generator.Tests.Infrastructure
{
    /// <summary>A throwaway project directory importing the package's targets from this repository; deleted on dispose.</summary>
    internal sealed class TempProject : IDisposable
    {
        public TempProject(string propertiesAndItems)
        {
            Directory = System.IO.Directory.CreateTempSubdirectory("bpfskeleton-build-").FullName;
            Write("Test.csproj", DotnetCli.ProjectImportingTargets(propertiesAndItems));
        }

        public string Directory { get; }

        /// <summary>obj/…/bpfskeleton/ (the tests build with UseArtifactsOutput=false, Debug).</summary>
        public string IntermediateDir => Path.Combine(Directory, "obj/Debug/net10.0/bpfskeleton");

        public string PathOf(string relative) => Path.Combine(Directory, relative);

        public void Write(string relative, string text)
        {
            var path = PathOf(relative);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
        }

        /// <summary><c>dotnet build</c>; the output, asserting success or failure as expected.</summary>
        public string Build(bool expectSuccess = true, IDictionary<string, string>? environment = null, params string[] extraArguments)
        {
            var arguments = new List<string> { "build", "-nologo", "-p:UseArtifactsOutput=false" };
            arguments.AddRange(extraArguments);
            return DotnetCli.Run(Directory, expectSuccess, environment, arguments.ToArray()).Output;
        }

        /// <summary>A property's value after evaluation (<c>dotnet msbuild -getProperty</c>), nothing built.</summary>
        public string Property(string name, params string[] extraArguments)
        {
            var arguments = new List<string> { "msbuild", "-nologo", "-getProperty:" + name };
            arguments.AddRange(extraArguments);
            return DotnetCli.Run(Directory, true, null, arguments.ToArray()).Output.Trim();
        }

        public void Dispose()
        {
            try { System.IO.Directory.Delete(Directory, recursive: true); }
            catch (IOException) { } // a build server may still hold a file; the temp directory is cleaned later
        }
    }
}
