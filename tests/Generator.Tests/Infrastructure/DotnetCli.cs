using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Runtime.CompilerServices;
using Xunit;

namespace BpfSkeleton.Generator.Tests.Infrastructure
{
    /// <summary>Runs <c>dotnet</c> in a directory the way a user would, for the tests that build real projects.</summary>
    internal static class DotnetCli
    {
        /// <summary>The build tasks the targets load: the Tasks project's output, copied next to this test assembly.</summary>
        public static string TasksAssembly => Path.Combine(AppContext.BaseDirectory, "BpfSkeleton.Tasks.dll");

        public static string Run(string directory, params string[] arguments) => Run(directory, true, null, arguments).Output;

        /// <summary>Runs dotnet, asserting the exit code matches <paramref name="expectSuccess"/>; returns stdout + stderr.</summary>
        public static (int ExitCode, string Output) Run(string directory, bool expectSuccess, IDictionary<string, string>? environment, params string[] arguments)
        {
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in arguments) start.ArgumentList.Add(argument);
            start.Environment["MSBUILDNODEREUSE"] = "0"; // a reused node would keep an old copy of the tasks loaded
            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            if (environment is not null)
                foreach (var (name, value) in environment) start.Environment[name] = value;
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            Assert.True(process.WaitForExit(TimeSpan.FromMinutes(5)), "dotnet timed out");
            var output = stdout + stderr.Result;
            Assert.True((process.ExitCode == 0) == expectSuccess, $"dotnet {string.Join(' ', arguments)} exited {process.ExitCode}:\n{output}");
            return (process.ExitCode, output);
        }

        public static string RepositoryRoot([CallerFilePath] string path = "")
        {
            var directory = Path.GetDirectoryName(path);
            while (directory is not null && !File.Exists(Path.Combine(directory, "Skeleton.sln")))
                directory = Path.GetDirectoryName(directory);
            return directory ?? throw new InvalidOperationException("repository root not found");
        }

        /// <summary>A project file that imports the package's props and targets from this repository, as NuGet would.</summary>
        public static string ProjectImportingTargets(string propertiesAndItems) => $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <Import Project="{RepositoryRoot()}/src/Generator/build/BpfSkeleton.props" />
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <BpfSkeletonTasksAssembly>{TasksAssembly}</BpfSkeletonTasksAssembly>
              </PropertyGroup>
            {propertiesAndItems}
              <Import Project="{RepositoryRoot()}/src/Generator/build/BpfSkeleton.targets" />
            </Project>
            """;
    }
}
