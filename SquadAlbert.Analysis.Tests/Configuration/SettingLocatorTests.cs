using SquadAlbert.Analysis.Configuration;

namespace SquadAlbert.Analysis.Tests.Configuration;

public sealed class SettingLocatorTests
{
    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void CommandLineWinsOverEnvironmentAndConfiguration()
    {
        var resolved = RunDatabaseLocator.Resolve("/tmp/cli.db", "/tmp/config.db", Environment((RunDatabaseLocator.EnvironmentVariable, "/tmp/env.db")));
        Assert.Equal(("/tmp/cli.db", SettingSource.CommandLine, "--db"), (resolved.Path, resolved.Source, resolved.Label));
    }

    [Fact]
    public void EnvironmentWinsOverConfiguration()
    {
        var resolved = RunDatabaseLocator.Resolve(null, "/tmp/config.db", Environment((RunDatabaseLocator.EnvironmentVariable, "/tmp/env.db")));
        Assert.Equal(("/tmp/env.db", SettingSource.EnvironmentVariable), (resolved.Path, resolved.Source));
    }

    [Fact]
    public void BlankLayersAreSkipped()
    {
        var resolved = RunDatabaseLocator.Resolve("  ", "/tmp/config.db", Environment((RunDatabaseLocator.EnvironmentVariable, "")));
        Assert.Equal(("/tmp/config.db", SettingSource.Configuration, RunDatabaseLocator.ConfigurationKey), (resolved.Path, resolved.Source, resolved.Label));
    }

    [Fact]
    public void DatabaseFallsBackToThePerUserFile()
    {
        var resolved = RunDatabaseLocator.Resolve(null, null, Environment());
        Assert.Equal((RunDatabaseLocator.UserDefaultPath, SettingSource.Default), (resolved.Path, resolved.Source));
    }

    [Fact]
    public void ShippedModelIsFoundFromAnyFolderBelowTheRepository()
    {
        var root = Path.Combine(Path.GetTempPath(), "squad-albert-locator-" + Guid.NewGuid().ToString("N")[..8]);
        var model = Path.Combine(root, DefaultModelLocator.ShippedModelRelativePath);
        var deep = Path.Combine(root, "SquadAlbert.Dashboard", "bin", "Release");
        Directory.CreateDirectory(model);
        Directory.CreateDirectory(deep);
        try
        {
            Assert.Null(DefaultModelLocator.FindShippedModel([deep]));
            File.WriteAllText(Path.Combine(model, "config.json"), "{}");
            Assert.Equal(model, DefaultModelLocator.FindShippedModel([deep]));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void MissingDefaultNamesEverySetting()
    {
        var error = Assert.Throws<InputException>(() => LayeredSetting.Resolve(
            null, "--model", "SQUADALBERT_MODEL", null, "SquadAlbert:ModelDirectory", () => null, "shipped model", Environment()));
        Assert.Contains("--model", error.Message, StringComparison.Ordinal);
        Assert.Contains("SQUADALBERT_MODEL", error.Message, StringComparison.Ordinal);
        Assert.Contains("SquadAlbert:ModelDirectory", error.Message, StringComparison.Ordinal);
    }
}
