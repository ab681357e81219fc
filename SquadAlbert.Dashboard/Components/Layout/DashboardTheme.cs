using MudBlazor;

namespace SquadAlbert.Dashboard.Components.Layout;

/// <summary>The dashboard's palette: one place for colours shared by MudBlazor and the charts.</summary>
public static class DashboardTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight { Primary = "#3f51b5", Secondary = "#ff7043", AppbarBackground = "#3f51b5" },
        PaletteDark = new PaletteDark { Primary = "#7986cb", Secondary = "#ff8a65" },
    };
}
