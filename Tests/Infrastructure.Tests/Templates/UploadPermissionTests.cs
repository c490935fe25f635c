using SdServerless.Aws.Recording;
using SdServerless.Contracts.Inputs;
using SdServerless.LocalAws.Emulators;
using SdServerless.LocalAws.Iam;
using SdServerless.LocalAws.Templates;

namespace SdServerless.Infrastructure.Tests.Templates;

/// <summary>
/// A presigned upload URL acts with the API role's rights, so that role decides where an upload may land: only under
/// an owner's <c>inputs/&lt;owner-id-hash&gt;/uploads/</c>, never over outputs or claim checks. Decided offline from the
/// template's statements (decision 0311's evaluator).
/// </summary>
public class UploadPermissionTests
{
    private const string Bucket = "arn:aws:s3:::sdserverless-outputs-000000000000-us-east-1";

    private static readonly TemplateRoles Serverless = new(CloudFormationTemplate.Load(RepositoryLayout.ServerlessTemplate, StackIdentity.Local));

    private static AwsCall Call(string action, string key) => new("api", action, $"{Bucket}/{key}", new Dictionary<string, string>());

    public static TheoryData<string, bool> UploadKeys => new()
    {
        { OwnerInputPrefix.UploadKey("key-owner-a", "abcdefghijklmnopqrstuvwxyz"), true },
        { OwnerInputPrefix.UploadKey("apigw-k1", "abcdefghijklmnopqrstuvwxy2"), true },
        { "outputs/01abc/01abc-0.png", false },
        { "inputs/" + OwnerInputPrefix.OwnerHash("key-owner-a") + "/cat.png", false },
        { "models/sdruntime/unet/model.onnx", false },
    };

    [Theory]
    [MemberData(nameof(UploadKeys))]
    public void TheApiRoleMayPresignPutsOnlyIntoAnOwnersUploadsFolder(string key, bool allowed) =>
        Assert.Equal(allowed, Serverless.For("ApiFunction").Decide(Call("s3:PutObject", key)).Allowed);

    [Fact]
    public void TheApiRoleMayHeadAnUploadToResolveIt() =>
        Assert.True(Serverless.For("ApiFunction").Decide(Call("s3:GetObject", OwnerInputPrefix.UploadKey("key-owner-a", "abcdefghijklmnopqrstuvwxyz"))).Allowed);

    [Fact]
    public void UploadsExpireByALifecycleRuleOverTheInputsPrefix()
    {
        var template = File.ReadAllText(RepositoryLayout.ServerlessTemplate);

        var rule = System.Text.RegularExpressions.Regex.Match(template, @"- Id: expire-inputs\s+Status: Enabled\s+Prefix: (\S+)\s+ExpirationInDays: !Ref InputExpirationDays");
        Assert.True(rule.Success, "serverless.template has no enabled expire-inputs rule");
        Assert.StartsWith(rule.Groups[1].Value, OwnerInputPrefix.UploadKey("key-owner-a", "abcdefghijklmnopqrstuvwxyz"), StringComparison.Ordinal);
    }
}
