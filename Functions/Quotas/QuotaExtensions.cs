using Microsoft.Extensions.Options;
using SdServerless.Functions.Usage;

namespace SdServerless.Functions.Quotas;

public static class QuotaExtensions
{
    public static IServiceCollection AddQuotaServices(this IServiceCollection services)
    {
        services.AddOptions<QuotaOptions>().BindConfiguration(QuotaOptions.SectionName);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<QuotaOptions>>().Value);
        services.AddSingleton(sp => new QuotaGate(sp.GetRequiredService<OwnerTaskRange>(), sp.GetRequiredService<QuotaOptions>(), sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
