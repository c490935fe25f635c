using System.CommandLine;
using Microsoft.Extensions.Logging;
using SdServerless.Aws;
using SdServerless.LocalAws.Emulators;
using SdServerless.LocalAws.Provisioning;
using SdServerless.LocalAws.Templates;

// Creates the resources of serverless.template in the emulators that AWS_ENDPOINT_URL* point at.
//   SdServerless.Provisioner [--template PATH] [--parameter Name=Value ...]
using var loggerFactory = LoggerFactory.Create(logging => logging.AddSimpleConsole(options => options.SingleLine = true));
var logger = loggerFactory.CreateLogger("provision");

var templateOption = new Option<string>("--template")
{
    Description = "The SAM template to provision from.",
    DefaultValueFactory = _ => RepositoryLayout.ServerlessTemplate,
};
var parameterOption = new Option<string[]>("--parameter")
{
    Description = "A template parameter as Name=Value; repeat for more.",
};
parameterOption.Validators.Add(result =>
{
    foreach (var value in result.GetValueOrDefault<string[]>() ?? [])
    {
        if (!value.Contains('=', StringComparison.Ordinal))
        {
            result.AddError($"--parameter '{value}' is not Name=Value.");
        }
    }
});
var command = new RootCommand("Creates the resources of serverless.template in the emulators that AWS_ENDPOINT_URL* point at.")
{
    templateOption,
    parameterOption,
};
command.SetAction(async (parse, cancellationToken) =>
{
    var templatePath = parse.GetValue(templateOption)!;
    var parameters = (parse.GetValue(parameterOption) ?? []).Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
    try
    {
        var template = CloudFormationTemplate.Load(templatePath, StackIdentity.Local, parameters);
        var connection = AwsConnection.FromEnvironment(Environment.GetEnvironmentVariable);
        using var http = new HttpClient();
        using var context = new ProvisioningContext(connection, template.Stack, http);
        var report = await new LocalProvisioner(context, logger).ProvisionAsync(template, cancellationToken);
        logger.LogInformation("Provisioned {Count} resources from {Template}", report.Resources.Count, templatePath);
        return 0;
    }
    catch (TemplateException ex)
    {
        logger.LogError("{Error}", ex.Message);
        return 1;
    }
});
return await command.Parse(args).InvokeAsync();
