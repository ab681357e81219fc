using System.Text;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using Plotly.Blazor;
using Plotly.Blazor.Traces;
using SquadAlbert.Analysis.Tests;
using SquadAlbert.Dashboard.Features.Datasets;

namespace SquadAlbert.Dashboard.Tests.Features.Datasets;

public sealed class DatasetsPageTests : IDisposable
{
    private readonly DataFolderFixture _data = new();

    public void Dispose() => _data.Dispose();

    private static BunitContext NewContext(DatasetCatalog catalog)
    {
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddSingleton(catalog);
        ctx.Render<MudPopoverProvider>();
        return ctx;
    }

    [Fact]
    public async Task Shows_the_real_dev_set_statistics()
    {
        await using var ctx = NewContext(DataFolderFixture.CatalogFor(TestPaths.SquadDir));

        var navigation = ctx.Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo(navigation.GetUriWithQueryParameter("file", "dev-v1.1.json"));

        var page = ctx.Render<DatasetsPage>();

        page.WaitForElement("[data-testid=stat-cards]", TimeSpan.FromSeconds(30));
        Assert.Equal("48", page.Find("[data-testid=stat-articles]").TextContent);
        Assert.Equal("2,067", page.Find("[data-testid=stat-paragraphs]").TextContent);
        Assert.Equal("10,570", page.Find("[data-testid=stat-questions]").TextContent);
        Assert.Equal("34,726", page.Find("[data-testid=stat-answers]").TextContent);
        Assert.Contains("No problems", page.Find("[data-testid=validation]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lists_each_validation_problem()
    {
        _data.Write("tiny.json", DataFolderFixture.OneBadAnswer);
        await using var ctx = NewContext(_data.Catalog);

        var page = ctx.Render<DatasetsPage>();

        page.WaitForElement("[data-testid=problems-table]", TimeSpan.FromSeconds(10));
        var rows = page.FindAll("[data-testid=problems-table] tbody tr");
        Assert.Single(rows);
        Assert.Contains("AnswerMismatch", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("q2", rows[0].TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_article_title_with_markup_reaches_the_titles_chart_escaped()
    {
        _data.Write("linked.json", DataFolderFixture.Clean.Replace("\"Tiny\"", "\"<a href=\\\"x\\\">t</a>\"", StringComparison.Ordinal));
        await using var ctx = NewContext(_data.Catalog);

        var page = ctx.Render<DatasetsPage>();

        page.WaitForElement("[data-testid=stat-cards]", TimeSpan.FromSeconds(10));
        var chart = page.FindComponents<PlotlyChart>().Single(c => c.Instance.Id == "titles-chart").Instance;
        var bar = Assert.IsType<Bar>(Assert.Single(chart.Data));
        Assert.Equal("&lt;a href=\"x\"&gt;t&lt;/a&gt;", Assert.Single(bar.Y!));
    }

    [Fact]
    public async Task Says_how_to_get_data_when_the_folder_is_empty()
    {
        await using var ctx = NewContext(_data.Catalog);

        var page = ctx.Render<DatasetsPage>();

        Assert.Contains("download", page.Find("[data-testid=no-data]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shows_a_clear_message_for_a_file_that_is_not_squad()
    {
        _data.Write("broken.json", "[1, 2, 3]");
        await using var ctx = NewContext(_data.Catalog);

        var page = ctx.Render<DatasetsPage>();

        var error = page.WaitForElement("[data-testid=load-error]", TimeSpan.FromSeconds(10));
        Assert.Contains("broken.json", error.TextContent, StringComparison.Ordinal);
    }

    /// <summary>Such files once threw an InvalidOperationException the page did not catch, ending the session.</summary>
    [Theory]
    [InlineData("latin1.json", "is not valid UTF-8 at line 1, column 57 (byte 56), in $.data[0].paragraphs[0].context")]
    [InlineData("lone-surrogate.json", "has an invalid string at line 1, column 57 (byte 56), in $.data[0].paragraphs[0].context")]
    public async Task A_file_with_text_that_is_not_unicode_shows_the_position(string fileName, string expected)
    {
        const string json = """{"data": [{"title": "T", "paragraphs": [{"context": "Caf# au lait", "qas": [{"id": "q1", "question": "Which?", "answers": [{"text": "au", "answer_start": 4}]}]}]}]}""";
        File.WriteAllBytes(Path.Combine(_data.Folder, fileName), fileName == "latin1.json"
            ? Encoding.Latin1.GetBytes(json.Replace("#", "\u00e9", StringComparison.Ordinal))
            : Encoding.UTF8.GetBytes(json.Replace("#", "\\ud800", StringComparison.Ordinal)));
        await using var ctx = NewContext(_data.Catalog);

        var page = ctx.Render<DatasetsPage>();

        var error = page.WaitForElement("[data-testid=load-error]", TimeSpan.FromSeconds(10));
        Assert.Contains(fileName, error.TextContent, StringComparison.Ordinal);
        Assert.Contains(expected, error.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dataset_text_is_html_encoded()
    {
        _data.Write("xss.json", """
            {"version": "1.1", "data": [{"title": "<script>alert(1)</script>", "paragraphs": [{"context": "abc <b>x</b>",
              "qas": [{"id": "<img src=x onerror=alert(1)>", "question": "q?", "answers": [{"text": "zzz", "answer_start": 0}]}]}]}]}
            """);
        await using var ctx = NewContext(_data.Catalog);

        var page = ctx.Render<DatasetsPage>();

        page.WaitForElement("[data-testid=problems-table]", TimeSpan.FromSeconds(10));
        Assert.Empty(page.FindAll("[data-testid=problems-table] img"));
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", page.Find("[data-testid=problems-table]").InnerHtml, StringComparison.Ordinal);
    }
}
