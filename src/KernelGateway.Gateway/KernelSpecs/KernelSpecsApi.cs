using System.Text.Json.Nodes;
using KernelGateway.Gateway.Options;
using KernelGateway.Gateway.Policy;
using KernelGateway.Notebooks.Kernels;
using Microsoft.AspNetCore.StaticFiles;

namespace KernelGateway.Gateway.KernelSpecs;

/// <summary>
/// <c>GET /api/kernelspecs</c>, <c>GET /api/kernelspecs/{name}</c> and <c>GET /kernelspecs/{name}/{resource}</c>
/// (logos and other files of a kernelspec's directory), over the kernelspecs on the Jupyter paths.
/// </summary>
public static class KernelSpecsApi
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    /// <summary>Maps the kernelspec routes.</summary>
    public static IEndpointRouteBuilder MapKernelSpecs(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/kernelspecs", (GatewayOptions options) =>
        {
            var specs = new JsonObject();
            foreach (var spec in KernelSpecCatalog.FindAll().Values.OrderBy(s => s.Name, StringComparer.Ordinal))
                specs[spec.Name] = Model(spec, options);
            var body = new JsonObject { ["default"] = options.DefaultKernelName, ["kernelspecs"] = specs };
            return Results.Json(body, GatewayJsonContext.Default.JsonObject);
        });

        routes.MapGet("/api/kernelspecs/{name}", (string name, GatewayOptions options) =>
        {
            var spec = KernelSpecCatalog.Find(name) ?? throw new GatewayException(404, $"Kernel spec {name} not found");
            return Results.Json(Model(spec, options), GatewayJsonContext.Default.JsonObject);
        });

        routes.MapGet("/kernelspecs/{name}/{resource}", (string name, string resource) =>
        {
            var spec = KernelSpecCatalog.Find(name) ?? throw new GatewayException(404, $"Kernel spec {name} not found");
            if (resource != Path.GetFileName(resource) || resource is "." or ".." || resource.Contains('\\'))
                throw new GatewayException(404, $"Kernel spec resource {resource} not found");
            var file = Path.Combine(spec.ResourceDirectory, resource);
            if (!File.Exists(file)) throw new GatewayException(404, $"Kernel spec resource {resource} not found");
            var type = ContentTypes.TryGetContentType(file, out var t) ? t : "application/octet-stream";
            return Results.File(file, type);
        });
        return routes;
    }

    private static JsonObject Model(KernelSpec spec, GatewayOptions options)
    {
        var resources = new JsonObject();
        string Url(string file) => $"{options.BasePath}/kernelspecs/{Uri.EscapeDataString(spec.Name)}/{Uri.EscapeDataString(file)}";
        foreach (var f in new[] { "kernel.js", "kernel.css" })
            if (File.Exists(Path.Combine(spec.ResourceDirectory, f))) resources[f] = Url(f);
        if (Directory.Exists(spec.ResourceDirectory))
            foreach (var logo in Directory.EnumerateFiles(spec.ResourceDirectory, "logo-*").Order(StringComparer.Ordinal))
                resources[Path.GetFileNameWithoutExtension(logo)] = Url(Path.GetFileName(logo));
        var json = (JsonObject)spec.Json.DeepClone();
        json["display_name"] ??= spec.Name;
        json["language"] ??= "";
        json["interrupt_mode"] ??= spec.InterruptMode;
        json["metadata"] ??= new JsonObject();
        json["env"] ??= new JsonObject();
        return new JsonObject { ["name"] = spec.Name, ["spec"] = json, ["resources"] = resources };
    }
}
