/** A small three-speaker WebVTT meeting with a decision, tasks and Markdown-looking text. */
export const SHORT_MEETING_VTT = `WEBVTT

00:00:01.000 --> 00:00:06.000
<v Ana Lima>Good morning everyone. Let's review the launch plan for the mobile app.

00:00:06.500 --> 00:00:12.000
<v Bob Chen>The beta feedback was mostly positive, but the onboarding flow confused new users.

00:00:12.500 --> 00:00:18.000
<v Ana Lima>We decided to keep the launch date of April 15 and ship the simpler tutorial.

00:00:18.500 --> 00:00:24.000
<v Bob Chen>I'll update the onboarding screens by Friday.

00:00:24.500 --> 00:00:30.000
<v Ana Lima>Carla, please draft the release notes for the app store by next week.

00:00:30.500 --> 00:00:36.000
<v Carla Diaz>Sure. I'll post the *final* build to [the beta channel] before the launch.
`;
