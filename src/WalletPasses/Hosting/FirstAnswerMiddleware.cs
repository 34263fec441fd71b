namespace WalletPasses.Hosting;

public static class FirstAnswerMiddleware
{
    /// <summary>Signals <see cref="FirstAnswer"/> once a response has been sent; a completed check after that.</summary>
    public static IApplicationBuilder UseFirstAnswerSignal(this IApplicationBuilder app)
    {
        var firstAnswer = app.ApplicationServices.GetRequiredService<FirstAnswer>();
        return app.Use((context, next) =>
        {
            if (!firstAnswer.HasAnswered)
            {
                context.Response.OnCompleted(() =>
                {
                    firstAnswer.Answered();
                    return Task.CompletedTask;
                });
            }

            return next(context);
        });
    }
}
