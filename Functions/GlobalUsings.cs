global using Microsoft.AspNetCore.Http.HttpResults;
global using SdServerless.Functions.Tasks;
