"""Hand-written material for the evalplatform demo dataset (original text, written for
this project; nothing here is taken from an existing corpus).

Layout of ``MATERIAL``::

    @@ <emotion>
    == <subset>            (ED, EDOS or OS)
    S: <first-person situation>   (ED and EDOS only)
    A: <opening line, speaker1>
    B: <listener reply, speaker2>
    A: <follow-up, speaker1>
    B: <listener reply, speaker2>
    A: <follow-up, speaker1>
    B: <listener reply, speaker2>

Scripts are separated by blank lines. Styles:

* ED   - explicit empathetic dialogue: speaker1 names the feeling and the situation,
         speaker2 listens and responds with empathy.
* EDOS - emotional, but in the clipped, present-tense style of movie subtitles.
* OS   - casual, subtitle-like chit-chat in which the emotion stays implicit.
"""

MATERIAL = r"""
@@ afraid
== ED
S: I heard the back door rattle at two in the morning while I was home alone.
A: Last night I woke up to the back door rattling, and I was home by myself. I was so scared.
B: Oh no, that sounds frightening. Did you find out what it was?
A: I stayed frozen in bed for ages. In the morning I saw the latch was loose and the wind had been pushing it.
B: What a relief, though I understand why your heart was pounding. Did you manage to get back to sleep?
A: Not really. I kept listening to every little creak until the sun came up.
B: That makes sense after a fright like that. Fixing the latch today might help you rest easier tonight.

S: I was afraid when my little brother went missing for an hour at the county fair.
A: My little brother wandered off at the county fair last weekend, and for an hour nobody could find him.
B: An hour must have felt like forever. You must have been so afraid.
A: I was shaking. I kept imagining the worst while we searched every tent.
B: That's such a helpless feeling. Where did you finally find him?
A: He was at the petting zoo, happily feeding a goat, with no idea we were panicking.
B: Oh, thank goodness he was safe. I hope you gave him a big hug before the lecture.

== EDOS
S: I was afraid when our car broke down on a dark country road.
A: The engine just died. There's nothing out here but trees.
B: Okay, stay calm. We'll figure this out together, I promise.
A: My phone has no signal. What if nobody comes by until morning?
B: Then we lock the doors and wait it out. You're not alone in this.
A: I hate this. Every noise out there makes me jump.
B: I know, me too. Hold my hand, and let's keep talking until headlights show up.

S: I got scared when I realized a stranger was following us home from the station.
A: Don't look now, but that man has been behind us since the station.
B: Alright. Keep walking, nice and steady. Don't let him see you're rattled.
A: My hands are shaking. What do we do if he follows us to the door?
B: We won't go home yet. There's a café on the corner with people inside.
A: Okay. Okay. I just want to be somewhere bright.
B: Almost there. Once we're inside, we'll call a cab and you can breathe again.

== OS
A: You're really going down into that basement without a flashlight?
B: Hey, if you want to come with me, I'd honestly appreciate the company.
A: I'll stand right here at the top of the stairs. That counts as support.
B: Fair enough. Just shout if you hear anything weird, alright?
A: Something weird like what? You can't say that and then walk off.
B: Sorry, bad joke. It's just an old furnace down there, nothing to worry about.

A: Still no call from the doctor about those test results.
B: They said by Friday, right? There's still time for them to ring.
A: I know. I keep checking my phone every five minutes like that'll help.
B: The waiting is the hardest part. Want to grab lunch to take your mind off it?
A: Sure, somewhere close, though, in case they call.
B: Deal. The place around the corner, and you can keep your phone right on the table.

@@ angry
== ED
S: I was furious when my landlord kept my whole deposit for damage I didn't cause.
A: My landlord just kept my entire deposit, claiming I damaged the floors. They were scratched when I moved in!
B: That's so unfair. No wonder you're angry. Do you have any proof of how they looked before?
A: Luckily I took photos on my first day, with the dates on them.
B: That was smart of you. Have you shown them to the landlord yet?
A: I emailed them this morning. He hasn't replied, and I'm still fuming.
B: I'd be fuming too. If he ignores you, a tenant advice office can help you get it back.

S: I got angry when a coworker presented my idea as his own in a meeting.
A: In today's meeting, a coworker pitched my idea to the boss like he'd come up with it himself.
B: Ugh, that's infuriating. Did anyone know it was actually yours?
A: Only my teammate, who saw my notes last week. I was too stunned to speak up.
B: It's hard to react in the moment when you're that shocked. Are you going to say something now?
A: I think I'll talk to my manager privately and bring my notes.
B: That sounds like a calm, smart plan. Your work deserves credit, and you have the proof.

== EDOS
S: I was angry when my brother crashed my car and lied to me about it.
A: You told me you parked it carefully! The whole bumper is hanging off!
B: I know, I know. I should've told you the truth right away.
A: I lent it to you as a favor. And you looked me in the eye and lied.
B: You're right to be mad. I panicked, and that's no excuse.
A: I don't even care about the car that much. I care that you lied.
B: I get it. I'll pay for the repair, and I'll never hide something like that from you again.

S: I lost my temper when the neighbors' party kept me awake the night before my exam.
A: It's three in the morning! Some of us have an exam in six hours!
B: Hey, easy. Let me knock on their door, and you try to get some rest.
A: I've already knocked twice. They laughed and turned the music up.
B: That's really disrespectful. Then it's time to call the building manager.
A: Fine. But if I fail tomorrow, I'm sending them the bill.
B: You won't fail. You've studied for weeks. Let's get this sorted so you can sleep.

== OS
A: So apparently the parking ticket was my fault, even though a tree was covering the sign.
B: Wait, the sign was completely hidden? Did you take a picture of it?
A: I did. The guy at the office barely looked at it.
B: That's frustrating. You can still appeal online, can't you?
A: Yeah, I guess. It's the principle of the thing, you know?
B: Totally. Send the photo with the appeal, I bet they'll drop it.

A: Remember the couch I ordered in June? They just pushed the delivery back again.
B: Again? That's the third time, isn't it?
A: Fourth. I've been sitting on a camping chair for two months.
B: That's ridiculous. Have you asked them for a refund instead?
A: I'm thinking about it. I just really wanted that couch.
B: I understand. Maybe ask for a discount for the delay, and keep the refund as a backup.

@@ anxious
== ED
S: I feel anxious about giving a presentation to the whole department next week.
A: Next week I have to present our project to the entire department, and I'm already losing sleep over it.
B: That sounds stressful. Is it the speaking part or the questions afterwards that worries you most?
A: Definitely the questions. I'm scared someone will ask something I can't answer.
B: That's a really common worry. Could you run through practice questions with a colleague?
A: That's a good idea. My friend on the team offered to help.
B: Take her up on it. And remember, it's fine to say you'll follow up later on a tricky question.

S: I've been anxious since I applied for my dream job two weeks ago and heard nothing back.
A: I applied for my dream job two weeks ago and haven't heard a word. I keep refreshing my inbox.
B: Waiting like that is nerve-racking. Did they say when they would get back to you?
A: They said within a month, but every day feels like a week.
B: I can imagine. It's hard not to read meaning into the silence.
A: Exactly. I keep thinking it means they've already rejected me.
B: Two weeks of silence is normal in hiring. Try to plan something fun this weekend to distract yourself.

== EDOS
S: I was anxious waiting outside the operating room during my dad's surgery.
A: It's been four hours. They said it would only take three.
B: Surgeries run long all the time. It doesn't mean anything went wrong.
A: Then why hasn't anyone come out to tell us something?
B: They're focused on him, and that's what we want. Here, drink some water.
A: I can't sit still. I feel like I'm going to jump out of my skin.
B: Then let's walk the hallway together. I'll ask the nurse for an update on the way.

S: I got nervous the night before my first day at a new school.
A: What if nobody talks to me? What if I sit at the wrong table?
B: Hey, everyone's new at some point. You're going to be fine.
A: You don't know that. I don't know a single person there.
B: True, but you're friendly and funny. People notice that quickly.
A: Maybe. My stomach still feels like it's full of bees.
B: That's just nerves. Take a deep breath, and text me at lunch to tell me how it's going.

== OS
A: Did you lock the front door when we left? I can't remember if I did.
B: I think so. Do you want to go back and check?
A: We're already halfway there. It's fine. Probably fine.
B: We can call your neighbor and ask her to look, if that would help.
A: Would that be weird? I don't want to bother her.
B: Not weird at all. She'd rather you ask than worry all night.

A: The bank wants to meet me on Monday about the loan, and they didn't say why.
B: Could just be paperwork. Did they sound serious on the phone?
A: It was an email, so I can't tell. I've reread it about ten times.
B: Rereading it won't change the words, trust me. Want me to take a look?
A: Yeah, please. Maybe I'm reading too much into it.
B: Let's see. Honestly, it reads like a routine check, but I'll help you prepare anyway.

@@ ashamed
== ED
S: I felt ashamed after I snapped at my mom when she was only trying to help.
A: I yelled at my mom yesterday because she asked about my job search. She just wanted to help.
B: It sounds like you're really feeling bad about it. Were you already stressed when she asked?
A: Very. I'd just gotten another rejection, and I took it out on her.
B: That's human, even if it doesn't feel good. Have you talked to her since?
A: Not yet. I'm too ashamed to even call her.
B: A short, honest apology will mean a lot to her. She probably understands more than you think.

S: I was ashamed when I realized I'd forgotten my best friend's birthday.
A: I completely forgot my best friend's birthday. I only remembered when I saw photos of her party online.
B: Oh, that's a sinking feeling. Does she know you forgot?
A: She hasn't said anything, which somehow makes me feel even worse.
B: Maybe reaching out first would help you both. What would you want to say to her?
A: That I'm sorry, and that I want to take her out to make up for it.
B: That sounds sincere. A belated celebration can still mean a lot when it comes from the heart.

== EDOS
S: I felt ashamed when my coach caught me cutting a corner during practice laps.
A: Coach, I don't know why I cut the corner. I'm sorry.
B: I'm not angry. I just want to know what's going on with you.
A: I was so tired of being last. I wanted one lap where I wasn't.
B: I understand that. But you've been improving every week, honestly.
A: I can't even look at the team right now.
B: You owned up to it, and that takes guts. Run it again with me, the right way.

S: I was ashamed when my son overheard me lying to get out of a dinner invitation.
A: I told the neighbors I had a fever. Our son heard every word.
B: Oh. And you've been telling him all week that lying is never okay.
A: I know. He looked at me like I'd let him down.
B: Kids forgive quickly when we're honest with them. Talk to him tonight.
A: What do I even say? That his dad is a hypocrite?
B: Say you made a mistake and you're sorry. That's the lesson he'll remember.

== OS
A: So the lady at the checkout saw me put the candy back after my card got declined.
B: Happens to everyone. Was it just a glitch with the card?
A: Yeah, the bank flagged it. But the line behind me was huge.
B: Nobody in that line remembers it now, I promise.
A: I'll remember it. I'm never going to that store again.
B: You will, because they have the good bread. Give it a week and it'll be a funny story.

A: I promised I'd help Sam move on Saturday, and then I just didn't show up.
B: Did something come up, or did you forget?
A: Honestly, I overslept and then felt too awkward to call.
B: That happens, but he's probably wondering what went wrong. Have you reached out?
A: Not yet. I keep typing a message and deleting it.
B: Keep it simple: say sorry, no excuses, and offer to help him unpack this weekend.

@@ caring
== ED
S: I've been taking care of my neighbor's cat while she's in the hospital.
A: My elderly neighbor is in the hospital, so I've been looking after her cat. I send her photos every day.
B: That's so kind of you. I bet the photos cheer her up.
A: She says they're the highlight of her day. The cat seems to miss her, though.
B: Animals really feel it. Is she expected home soon?
A: Hopefully next week. I'm planning to stock her fridge before she gets back.
B: You're a wonderful neighbor. She's lucky to have someone who cares that much.

S: I stayed up all night with my sister after her boyfriend broke up with her.
A: My sister's boyfriend broke up with her out of nowhere, so I drove over and stayed with her all night.
B: That's really caring of you. How is she holding up?
A: She cried a lot, but by morning she was laughing at old cartoons with me.
B: It sounds like having you there made a real difference.
A: I hope so. I just didn't want her to be alone with it.
B: That's what a good sibling does. Keep checking in on her over the next few weeks, too.

== EDOS
S: I looked after my friend when he twisted his ankle on our hiking trip.
A: Sit down, let me look at that ankle. Does this hurt?
B: A little. I'm sorry, I'm ruining the whole hike for you.
A: Don't be silly. I'm not leaving you up here alone.
B: You're too good to me. Do you think I can make it down?
A: Lean on me. We'll take it slow, one step at a time.
B: Okay. Thank you for this, really. I don't know what I'd do without you.

S: I made soup for my grandmother when she caught the flu.
A: Grandma, I made your chicken soup. Just like you taught me.
B: Oh, sweetheart, you didn't have to come all this way.
A: Of course I did. You took care of me every time I was sick.
B: And now look at you, taking care of me. It smells wonderful.
A: Eat slowly. I'll stay until you fall asleep.
B: You're such a good kid. Sit here beside me and tell me about your week.

== OS
A: You've had that cough for a week. Here, I brought you some honey and lemon.
B: Oh, thanks. I didn't think you'd noticed.
A: Hard not to, you sound like a broken accordion.
B: Ha, fair. I'll drink it right now, promise.
A: And go to bed early tonight. I'll handle the dishes.
B: You're a lifesaver. I owe you one as soon as I can talk without coughing.

A: Did you eat anything today? You've been at that desk since seven.
B: I had coffee. Does that count?
A: Not even a little. I'm ordering us some noodles.
B: You don't have to do that. I'll grab something later.
A: Too late, already ordered. Take a break when it arrives.
B: Okay, okay. Thanks for looking out for me, I needed that.

@@ confident
== ED
S: I feel confident about my driving test tomorrow because I've practiced every day.
A: My driving test is tomorrow, and honestly I feel ready. I've practiced every single day for a month.
B: That's great! All that practice really pays off. What part were you most worried about before?
A: Parallel parking. But now I can do it in one try almost every time.
B: That's impressive, a lot of people struggle with that. Are you nervous at all?
A: A tiny bit, but mostly I just want to get it done.
B: You sound well prepared. Get a good night's sleep and go show them what you can do.

S: I'm confident I can win my chess club's tournament this year.
A: The chess club tournament is next month, and for the first time I really think I can win it.
B: That's exciting! What's changed since last year?
A: I've been studying endgames every evening and playing online against stronger players.
B: That kind of dedication shows. Who's your toughest opponent going to be?
A: Probably last year's champion. I lost to him twice, but I've studied his openings.
B: Sounds like you've done your homework. I'd love to hear how the final goes!

== EDOS
S: I felt confident walking into the room for my big singing audition.
A: I know this song better than I know my own name. I've got this.
B: That's the spirit. You've never sounded better than this week.
A: Whatever happens in there, I'm walking out proud.
B: And you should. Just remember to breathe before the high note.
A: I will. Hand me my water, they're calling my number.
B: Here you go. Knock them dead. I'll be right here when you come out.

S: I was sure I could fix our boat's engine before the storm reached us.
A: Give me ten minutes with this engine and we'll be heading home.
B: You sure? The sky's getting darker by the second.
A: I've rebuilt this motor twice. It's the fuel line, I'd bet on it.
B: Alright, I trust you. Tell me what you need.
A: Hold the flashlight steady, right there. Yes, that's it.
B: Got it. You really do know this boat inside out, don't you?

== OS
A: Give me the map, I know exactly where the restaurant is.
B: You said that last time, and we ended up at a car wash.
A: That was different, the street had been renamed. Trust me.
B: Okay, lead the way. I'm holding you to it, though.
A: Five minutes. Left at the bakery, and we're there.
B: Alright, I'll be impressed if this works. Lead on, captain.

A: I signed up for the half marathon. I'm going to finish it in under two hours.
B: Under two hours? That's a big goal. How's training going?
A: Really well. I ran eighteen kilometers on Sunday and felt great.
B: Nice, that's a solid long run. Are you doing anything special for recovery?
A: Stretching, lots of sleep, and way too much pasta.
B: Sounds like a winning plan. Tell me the date, and I'll come cheer at the finish line.

@@ disappointed
== ED
S: I was disappointed when my favorite band canceled their concert the day before.
A: I'd been waiting six months to see my favorite band, and they canceled the concert the day before.
B: Oh no, that's such a letdown. Did they say why?
A: The singer lost her voice. I understand, but I'd already booked a hotel.
B: That makes it even harder. Are they planning to reschedule?
A: They said maybe in the spring, but nothing's confirmed.
B: I hope they do. At least you'd have something to look forward to, and your ticket might still count.

S: I felt disappointed when I didn't get the promotion I'd worked so hard for.
A: I found out today that I didn't get the promotion. I'd been putting in extra hours for a year.
B: I'm really sorry. That must be so discouraging after all that effort.
A: It is. They gave it to someone who joined after me.
B: That stings. Did your manager explain the decision at all?
A: She said I was close and should apply again next round.
B: That's something to hold onto. Maybe ask her exactly what would make the difference next time.

== EDOS
S: I was disappointed when my father didn't show up to my graduation.
A: I kept looking at the door the whole ceremony. He never came.
B: I'm so sorry. I saw you searching the crowd.
A: He promised. He said nothing would keep him away this time.
B: You deserved to have him there. You worked so hard for this.
A: I guess I should stop expecting things from him.
B: You're allowed to hope. But today is about you, and I'm so proud of you.

S: I was disappointed when our team lost the final in the last minute.
A: One minute. We were one minute away from winning the whole thing.
B: I know. It's brutal, there's no other word for it.
A: All season we fought for this, and it's gone just like that.
B: But look how far you came. Nobody thought you'd even make the final.
A: That doesn't make it hurt any less right now.
B: No, it doesn't. Let it hurt tonight. Tomorrow we'll talk about next season.

== OS
A: So the bakery's closed. Like, permanently. There's a sign on the door.
B: The one with the cinnamon rolls? No way.
A: Yep. I walked twenty minutes in the rain for nothing.
B: That's rough. There's a café two streets over with decent pastries.
A: It's not the same, but fine, I could use something warm.
B: My treat, then. It won't be the same, but we can toast to the cinnamon rolls.

A: The movie was okay, I guess. The book was a lot better.
B: Yeah? What did they change?
A: They cut my favorite character completely. Like she never existed.
B: Ugh, that's the worst. Was it to save time?
A: Probably. It still felt like they missed the whole point.
B: I get that. Maybe it's just one of those stories that works best on the page.

@@ embarrassed
== ED
S: I was embarrassed when I waved back at someone who was actually waving at the person behind me.
A: Today a guy waved at me across the street, so I waved back enthusiastically. He was waving at the person behind me.
B: Oh no, I've done that too! Did he notice?
A: He gave me the most confused look. I pretended I was fixing my hair.
B: Ha, smooth recovery. Honestly, that's a classic moment everyone has had.
A: I know, but my face was red for the rest of the walk.
B: By tomorrow he won't even remember it. And it makes a pretty funny story now.

S: I felt so embarrassed when I called my teacher "Mom" in front of the whole class.
A: I accidentally called my teacher "Mom" in front of the entire class today. Everyone burst out laughing.
B: Oh, that's painful, but so many people have done exactly that. How did your teacher react?
A: She laughed and said she gets called that at least once a year.
B: That's kind of her. It sounds like she made it easier for you.
A: She did, but my friends are still teasing me about it.
B: Give it a few days. Something else will happen, and they'll forget all about it.

== EDOS
S: I was embarrassed when I tripped walking onto the stage to receive an award.
A: Tell me nobody saw that. Tell me I didn't just fall on stage.
B: Okay, a few people saw it. But you got up like a pro.
A: In front of the mayor! I want the floor to swallow me.
B: Hey, the mayor clapped louder after that. People loved it.
A: You're just saying that to make me feel better.
B: Maybe a little. But you still won the award, and that's what everyone will remember.

S: I got embarrassed when my date overheard me rehearsing what to say.
A: How long were you standing there? You heard all of that?
B: Just the part where you practiced saying hello. Three times.
A: Great. Wonderful. I'm going to go hide in the car now.
B: Don't. Honestly, it's kind of sweet that you were nervous.
A: Sweet? I sounded like a robot rehearsing a speech.
B: A very charming robot. Come on, let's go inside. I'm nervous too, if that helps.

== OS
A: I just realized I've had my sweater on inside out all day.
B: Wait, even during the meeting with the clients?
A: Even during the meeting. Nobody said a word.
B: Maybe they thought it was a fashion thing.
A: The tag was sticking out of my collar. It was not a fashion thing.
B: Okay, that's funny. But if nobody mentioned it, they probably didn't even notice.

A: I sent the message about the surprise party to the group chat. The one with Kate in it.
B: Oh no. Has she read it yet?
A: Two little blue ticks. She's read it.
B: Okay, well. Maybe she'll pretend she didn't see it.
A: She already replied with a party emoji. The surprise is dead.
B: Then it's just a party now, and parties are still great. Don't beat yourself up.

@@ excited
== ED
S: I'm so excited because I'm going to see the ocean for the first time next month.
A: Next month I'm going to see the ocean for the first time in my life! I can't stop thinking about it.
B: How wonderful! Where are you going?
A: A little coastal town down south. We rented a cabin right by the beach.
B: That sounds perfect. What are you most looking forward to?
A: Honestly, just standing in the waves and hearing them crash.
B: That's a moment you'll never forget. Take lots of pictures, but remember to enjoy it too.

S: I got really excited when I found out I'm going to be an aunt.
A: My brother just told me his wife is pregnant. I'm going to be an aunt!
B: Congratulations! That's such exciting news. When is the baby due?
A: In the spring. I've already started looking at tiny sweaters to knit.
B: That's adorable. Do you know if it's a boy or a girl yet?
A: Not yet, so I'm knitting everything in yellow and green.
B: Smart choice. That baby is lucky to have such an excited aunt already.

== EDOS
S: I was thrilled when the letter came saying I'd been accepted to art school.
A: It's here! The envelope is thick. Thick envelopes are good, right?
B: Thick is very good! Open it, open it!
A: "We are pleased to inform you..." I got in! I actually got in!
B: I knew it! I knew you would! Come here!
A: I have to call everyone. I can't even hold the phone straight.
B: Take a breath first. This is your moment, enjoy every second of it.

S: I was excited when we finally brought our new puppy home.
A: She's here! Look at her little paws!
B: Oh my gosh, she's tiny! What are we going to name her?
A: I was thinking Biscuit. She looks like a Biscuit, doesn't she?
B: She totally does. Hi, Biscuit! Welcome home!
A: I've wanted a dog since I was six years old. I can't believe this.
B: Well, it's real now. Get ready for a lot of walks and a lot of love.

== OS
A: Guess who got tickets for the game on Saturday?
B: No way. The sold-out one? How did you manage that?
A: My uncle couldn't go, so he gave me his two seats. Want the other one?
B: Are you kidding? Absolutely! What time does it start?
A: Seven, but I want to be there at five for the warm-ups.
B: Five it is. I'll bring snacks, you bring the tickets. This is going to be great.

A: The festival lineup just dropped. Take a look at who's headlining.
B: Wait, seriously? They haven't toured in years!
A: Exactly! Tickets go on sale Friday morning at ten.
B: We need a plan. Both of us on laptops, phones as backup.
A: I'm setting three alarms. Nothing is stopping me this time.
B: Same here. Whoever gets through first buys for both of us, deal?

@@ faithful
== ED
S: I stayed faithful to my partner while we lived in different countries for a year.
A: My partner and I spent a whole year in different countries for work, and we stayed completely committed to each other.
B: That takes real dedication. How did you two keep things strong?
A: We had a video call every night, no matter the time difference.
B: Every night? That's a lot of commitment. Was it hard sometimes?
A: Very hard, especially on holidays. But we always knew we'd be together again.
B: That trust is really special. It sounds like the distance only made your relationship stronger.

S: I've always stayed faithful to my hometown team, even through years of losing seasons.
A: My hometown team hasn't won a championship in twenty years, but I've never once missed watching a game.
B: That's true loyalty! What keeps you believing in them?
A: My late dad took me to my first game. Cheering for them feels like keeping him close.
B: That's a beautiful reason. Do you still go to games in person?
A: Every home opener. I sit in the same section we always used to.
B: I love that. Maybe this will finally be the year, and you'll celebrate for both of you.

== EDOS
S: I kept my promise to wait for my best friend to come home from his army service.
A: I told you I'd be here when you got back. Every single day I meant it.
B: I know. Your letters were the only thing that kept me going.
A: Two years, and I never doubted for a second you'd come home.
B: Some nights I doubted it. But then I'd read your words again.
A: Well, you're here now. And I'm not going anywhere.
B: Neither am I. Come on, let's go home. I've missed that ugly couch of yours.

S: I stood by my friend when everyone else believed the rumors about him.
A: I don't care what they're saying about you. I know you didn't take that money.
B: You're the only one who still believes me.
A: Then I'll be the only one, until they find out the truth.
B: That means more than you know. But aren't you worried what they'll say about you?
A: No. You'd have done the same for me. You always have.
B: I don't know how to thank you. I won't forget this, not ever.

== OS
A: Same diner, same booth, every Sunday for ten years now.
B: Don't you ever want to try the new place across the street?
A: Nah. Maggie knows my order before I sit down. Can't beat that.
B: That's fair. Loyalty to a good cook is a fine thing.
A: She even saved me a slice of pie when they ran out last week.
B: Now that's service. No wonder you keep coming back every Sunday.

A: My old car hit three hundred thousand miles this morning.
B: And you still won't trade it in, will you?
A: Never. It's gotten me through two moves and a snowstorm.
B: Honestly, that's impressive. What's your secret?
A: Oil changes on time, and I talk to it nicely.
B: Ha, well, it's working. Here's to the next hundred thousand miles.

@@ grateful
== ED
S: I'm grateful to a stranger who returned my lost wallet with everything still inside.
A: I lost my wallet on the bus, and a stranger tracked me down to return it, cash and all.
B: That's wonderful! There really are good people out there. How did they find you?
A: They looked me up using my library card and sent me a message.
B: That's such a thoughtful effort. Did you get to thank them?
A: I tried to give them a reward, but they refused. They just said to pass it on.
B: What a lovely way to put it. I'm sure you'll find a chance to do the same for someone.

S: I'm thankful for my coworkers, who covered my shifts while I was sick.
A: I was out sick for two weeks, and my coworkers quietly split all my shifts between them.
B: That's so generous. You must be really grateful.
A: I am. When I came back, they'd even left a card on my desk.
B: Aww, that's the sign of a great team. How are you feeling now?
A: Much better. I want to do something to thank them properly.
B: Maybe bring in breakfast for everyone one morning. A small gesture like that goes a long way.

== EDOS
S: I was grateful when a firefighter carried my dog out of our burning house.
A: You went back in for her. Nobody asked you to do that.
B: I heard her barking. There was no way I was leaving her.
A: She's all I have left right now. I don't know how to thank you.
B: You don't have to. Just look after each other tonight, okay?
A: I will. I'll never forget what you did, I swear.
B: Get some rest. The relief team over there will help you find somewhere to stay.

S: I felt grateful that my teacher stayed after school every day to help me pass.
A: I passed. I actually passed. And it's because of you.
B: No, you did the work. I just kept the classroom open.
A: Every afternoon for two months. You gave up your own time.
B: I'd do it again. Watching you finally get it was worth every minute.
A: Nobody's ever believed in me like that before.
B: Then get used to it, because I won't be the last one who does.

== OS
A: Thanks again for lending me your ladder. The gutters are finally clean.
B: No problem at all. Keep it as long as you need.
A: I'm bringing it back tonight, with a bag of tomatoes from the garden.
B: Oh, you don't have to, but I won't say no to tomatoes.
A: They're the least I can do. You've saved me twice this month.
B: That's what neighbors are for. Next time I need a hand, I know who to call.

A: Hey, you picked up my kids from school yesterday. I owe you big time.
B: Don't mention it. They were angels, mostly.
A: Mostly? What did they do?
B: Just argued about who got the front seat. Very normal stuff.
A: Ha, sounds about right. Seriously, thank you. The meeting ran so late.
B: Anytime. You can return the favor when my car's in the shop next month.

@@ guilty
== ED
S: I feel guilty because I broke my roommate's favorite mug and haven't told her.
A: I broke my roommate's favorite mug this morning and hid the pieces. Now I feel awful.
B: Oh, I understand why you'd feel guilty. Was it special to her?
A: Her grandmother gave it to her. That's what makes it so much worse.
B: That does make it harder. Do you think she'd be more upset about the mug or the hiding?
A: Probably the hiding. She's pretty forgiving about accidents.
B: Then telling her tonight is probably best. An honest apology will mean more than the mug.

S: I felt guilty for eating the last slice of my brother's birthday cake.
A: I ate the last slice of my brother's birthday cake last night. He was saving it for breakfast.
B: Oops! Did he find out yet?
A: He opened the fridge this morning and looked so sad. I confessed right away.
B: At least you were honest. How did he take it?
A: He laughed, but I still feel terrible. It was his birthday cake!
B: Maybe bake him a small one to make up for it. He'll probably love that more than the slice.

== EDOS
S: I felt guilty after my friend got fired for a mistake I made.
A: They fired Danny for the shipping error. It wasn't Danny. It was me.
B: Wait, you're sure? You made the mistake?
A: I mixed up the labels. I was too scared to say anything.
B: That's a heavy thing to carry. What are you going to do?
A: I have to tell them. I can't let him pay for my mistake.
B: That's the right call, and it takes courage. I'll go with you if you want.

S: I felt guilty for not visiting my grandfather before he passed away.
A: I kept saying I'd visit next month. There was always a next month.
B: You couldn't have known. None of us did.
A: He asked about me. Mom told me he kept asking about me.
B: That's because he loved you. That doesn't change because you were busy.
A: I just wish I could tell him I'm sorry.
B: Maybe you can, in your own way. Write him a letter and say everything you wanted to say.

== OS
A: I told my sister I was busy Friday, but really I just didn't want to go to her dinner party.
B: Ah. Does she suspect anything?
A: No, and somehow that makes it worse. She sounded really disappointed.
B: Could you drop by for dessert at least? That might ease your conscience.
A: That's not a bad idea. She makes a really good tiramisu.
B: There you go. Show up with flowers, and she'll just be happy to see you.

A: I ate your leftover pasta. In my defense, it looked lonely in the fridge.
B: My pasta? The pasta I was dreaming about all afternoon?
A: I know. I'm the worst. I'll make it up to you.
B: Ha, you'd better. What's the plan?
A: Dinner's on me tonight. Anywhere you want.
B: Deal. I'll pick the fancy Italian place, just to make a point.

@@ hopeful
== ED
S: I'm hopeful that my grandmother's surgery next week will finally let her walk without pain.
A: My grandmother is having hip surgery next week. I really hope it means she can walk without pain again.
B: I hope so too. That's a big step for her. How is she feeling about it?
A: A little scared, but mostly excited. She wants to dance at my wedding next summer.
B: What a wonderful goal! Having something to look forward to really helps recovery.
A: That's what the doctor said too. I'll be there every day to help.
B: She's lucky to have you. I'm wishing her a smooth surgery, and I hope she dances all night.

S: I feel hopeful because my job interview went really well yesterday.
A: I had a job interview yesterday, and I think it went really well. I'm trying not to get my hopes too high.
B: That's great to hear! What made it feel like it went well?
A: We talked for almost an hour, and they asked when I could start.
B: That sounds like a really good sign. When will they let you know?
A: By the end of the week. I'm keeping my fingers crossed.
B: Mine are crossed too. Whatever happens, it sounds like you made a great impression.

== EDOS
S: I felt hopeful when the rain finally came after months of drought on our farm.
A: Listen. Do you hear that? On the roof.
B: Is that rain? It really is rain!
A: After five months. Maybe we can save the harvest after all.
B: Maybe. It won't fix everything, but it's a start.
A: It's more than a start. It's a chance. That's all I needed.
B: Then let's go stand in it. We've both earned this.

S: I'm hopeful that my sister will answer the letter I finally sent her after years of silence.
A: I finally sent it. The letter to my sister.
B: After all these years? How do you feel?
A: Terrified. But maybe, just maybe, she'll write back.
B: She might. People change, and time softens things.
A: I keep checking the mailbox, even though it's only been a day.
B: Give it time. Whatever she says, you were brave to reach out first.

== OS
A: I planted those tomato seeds again. Third try this year.
B: Third time's the charm, right? What did you change?
A: New soil, and I moved the pots to the sunny side of the balcony.
B: Sounds promising. Any sprouts yet?
A: One tiny green thing this morning. I'm trying not to get attached.
B: Too late, I can hear it in your voice. I bet the rest will pop up in a few days.

A: The shelter called. They said the dog I applied for might still be available.
B: The scruffy one with the floppy ear? That's great news!
A: They'll confirm after they check my references on Monday.
B: Your references are solid. I can't imagine them saying no.
A: I already bought a dog bed. Is that too soon?
B: Maybe a little, but I love it. Fingers crossed you'll be bringing him home next week.

@@ impressed
== ED
S: I was impressed when my ten-year-old nephew built a working robot for the science fair.
A: My ten-year-old nephew built a robot that can sort toy bricks by color. I was blown away.
B: At ten? That's amazing! Did he have any help?
A: A little from his dad with the soldering, but he wrote all the code himself.
B: That's incredibly impressive. He must be really proud.
A: He won first place at the science fair. He hasn't stopped smiling.
B: What a talented kid. With a start like that, who knows what he'll build next.

S: I was impressed by how my friend learned to speak Japanese in just one year.
A: My friend started learning Japanese a year ago, and last week she had a whole conversation with a shopkeeper in Osaka.
B: Wow, in just one year? That's really impressive. How did she do it?
A: She practiced for an hour every morning before work and watched shows without subtitles.
B: That's serious discipline. Is she planning to keep going?
A: She wants to take the official proficiency exam next spring.
B: She'll do great. I'm honestly inspired, maybe I should finally start learning Spanish.

== EDOS
S: I was impressed when the new girl on our team scored three goals in her first game.
A: Did you see that? Three goals! In her first game!
B: I saw it. She moves like she's been playing with us for years.
A: Where did the coach find her? She's unbelievable.
B: She transferred from out of state, I heard. Lucky for us.
A: I've never seen anyone curve a ball like that.
B: Me neither. Let's go congratulate her before the whole team mobs her.

S: I was amazed when my grandfather fixed an old radio that everyone said was junk.
A: It works? Grandpa, you actually got it working?
B: Told you it wasn't junk. It just needed some patience.
A: The repair shop said it was hopeless. You proved them wrong.
B: They don't make radios like this anymore. Or repairmen like me, for that matter.
A: I want you to teach me how you did that.
B: Pull up a chair, then. We'll start on the next one this weekend.

== OS
A: Did you make this bread yourself? It tastes like it's from a bakery.
B: I did! It took me about ten tries to get it right.
A: Ten tries? I'd have given up after two.
B: I almost did. The first ones were basically bricks.
A: Well, this is no brick. You need to teach me.
B: Gladly. Come over Saturday morning and we'll bake a loaf together.

A: Your garden looks incredible. Was this all just grass last year?
B: Yep, just grass and weeds. I spent every weekend out here.
A: It shows. The roses alone must have taken forever.
B: They did, but they're my favorite part. Want to take some home?
A: Really? I'd love that. My kitchen could use some color.
B: Let me grab the scissors. I'll cut you the pink ones, they smell the best.

@@ jealous
== ED
S: I felt jealous when my best friend got into the university that rejected me.
A: My best friend got into the university that rejected me. I'm happy for her, but honestly I'm jealous.
B: That's a really understandable feeling. It doesn't mean you're not happy for her.
A: I know. I just feel bad that part of me is bitter about it.
B: Feelings like that are normal. Have you decided where you're going yet?
A: I got into a smaller school with a great program in my field.
B: That sounds like a great fit. In a few years, you might be glad things turned out this way.

S: I got jealous when my coworker showed up in a new car while I still take two buses to work.
A: My coworker showed up in a brand new car today, and I couldn't help feeling jealous. I still take two buses to work.
B: That's a long commute. It's natural to feel a little envious.
A: I know it's silly. She worked hard for it.
B: It's not silly at all. Are you saving up for a car yourself?
A: Slowly. Maybe by next year, if nothing goes wrong.
B: That's a good goal. And when you get it, it'll feel even better because you worked for it.

== EDOS
S: I was jealous when I saw my ex with someone new at a party.
A: Of course he brought her. Of course she's perfect.
B: Hey, don't do that to yourself. You're not in a competition.
A: Six months and he's already moved on. I can barely get out of bed some days.
B: Healing isn't a race. Everyone does it at their own speed.
A: I just want to stop caring. I want to look at him and feel nothing.
B: You'll get there. Right now, let's go get some air and leave them to it.

S: I was jealous when my little brother got the choir solo I'd wanted for years.
A: He's been singing for a year. I've been in this choir for six!
B: I know it stings. You wanted that solo so badly.
A: Everyone's congratulating him like I'm not even here.
B: I see you. And your voice hasn't gotten any worse because he got picked.
A: I know I should be happy for him. I'm just not there yet.
B: That's okay. You don't have to be there yet. Give yourself some time.

== OS
A: So Mark's going to Italy for three weeks. Three whole weeks.
B: Lucky guy. Where in Italy?
A: Rome, then the coast. He keeps sending me photos of his hotel.
B: Ha, rubbing it in a bit? Sounds like he's pretty excited.
A: Yeah. Meanwhile my vacation is repainting the bathroom.
B: Hey, we could plan a weekend trip this fall. Not Italy, but better than paint fumes.

A: Did you see Jess got the corner office? The one with the window?
B: Yeah, I saw the moving boxes this morning.
A: I've been here two years longer than her. Just saying.
B: I get it, that would bug me too. Did anyone explain how they decided?
A: Something about seniority in the department, apparently. Not overall.
B: That's a weird rule. Maybe bring it up at your review, it's worth asking.

@@ joyful
== ED
S: I felt pure joy when my whole family surprised me for my fortieth birthday.
A: For my fortieth birthday, my whole family flew in from three different countries to surprise me. I cried like a baby.
B: Oh, that's beautiful! When was the last time you were all together?
A: Almost eight years ago, at my parents' anniversary.
B: Eight years! No wonder you cried. What did you all do?
A: We cooked together all day and stayed up laughing until three in the morning.
B: That sounds like the perfect birthday. Moments like that are worth more than any gift.

S: I was so happy when my daughter took her first steps today.
A: My daughter took her very first steps today! Three whole steps before she sat down.
B: That's amazing! Congratulations! Did you catch it on camera?
A: My husband did, thank goodness. We've watched it about fifty times.
B: Ha, I'd watch it a hundred times too. How did she react?
A: She clapped for herself and squealed. It was the cutest thing I've ever seen.
B: That's so precious. Get ready, soon she'll be running everywhere.

== EDOS
S: I was overjoyed when my son came home safe after a year working overseas.
A: Is that him? Is that really him coming up the driveway?
B: It's him! Go on, go meet him!
A: My boy! Let me look at you. You're so tall!
B: Look at his face. He's been waiting for this hug all year.
A: I'm not letting go. I'm never letting go again.
B: Take all the time you need. Dinner can wait, this is what matters.

S: I felt so much joy on my wedding day when my partner first saw me.
A: Did you see her face when she saw me? I've never felt so happy.
B: I saw. The whole room saw. You two were glowing.
A: I keep laughing for no reason. My cheeks hurt from smiling.
B: That's exactly how it should be. Today is your day.
A: I want to remember every second of this.
B: You will. And I'll make sure the photographer gets all of it, too.

== OS
A: Guess what? The test results came back clear. All clear.
B: Oh, that's the best news! Come here!
A: I didn't realize how long I'd been holding my breath until now.
B: Me neither, honestly. We need to celebrate.
A: Pancakes. I want a mountain of pancakes.
B: Pancakes it is, with whipped cream and everything. You deserve it.

A: The sun's out, it's Friday, and I've got no plans at all this weekend.
B: Sounds like the perfect weekend to me. Any ideas?
A: Maybe the lake. Bring a book, a sandwich, and do absolutely nothing.
B: That sounds amazing. Mind if I tag along?
A: Only if you bring the good snacks.
B: Deal. I'll pack the cooler and pick you up at ten.

@@ lonely
== ED
S: I've felt lonely since moving to a new city where I don't know anyone.
A: I moved to a new city for work three months ago, and I still don't really know anyone. Evenings are the hardest.
B: That sounds really isolating. Moving somewhere new can be so tough.
A: My coworkers are nice, but they all go home to their families.
B: That makes sense. Have you found any clubs or groups you might enjoy?
A: I saw a hiking group that meets on Sundays. I'm thinking about joining.
B: That sounds like a great idea. Shared activities make it much easier to meet people.

S: I felt lonely over the holidays this year because my family couldn't visit.
A: My family couldn't visit for the holidays this year, so I spent them alone. The apartment felt so empty.
B: I'm sorry, that's really hard, especially when everyone else seems to be celebrating.
A: Exactly. Social media made it worse, seeing everyone's big dinners.
B: It's easy to compare. Did you get to talk with your family at least?
A: We video called for an hour. It helped, but it wasn't the same.
B: You're right, it's not the same. Maybe plan a visit early next year so you have something to look forward to.

== EDOS
S: I've felt lonely since my wife passed away last winter.
A: Forty years, and now the house is so quiet I can hear the clock.
B: I'm so sorry. I can't imagine how much you miss her.
A: I still set two cups out in the morning. Every morning.
B: That's love. Habits like that don't just disappear.
A: Nobody comes by anymore. Not since the funeral.
B: Well, I'll come by. Every Tuesday, if you'll have me. We can share that second cup.

S: I felt lonely on my first night in the college dorm.
A: Everyone else seems to have friends already. How is that even possible?
B: Trust me, most of them are just as lost as you are.
A: I ate dinner alone in my room tonight. First night and I'm already hiding.
B: First nights are always the worst. It gets easier, I promise.
A: I just miss home. I miss my dog, my mom, everything.
B: That's completely normal. Tomorrow, come find me at breakfast. We'll sit together.

== OS
A: It's kind of quiet around here since Leo moved out.
B: Yeah, I noticed. You two used to cook together every night, right?
A: Every night. Now I just eat cereal standing over the sink.
B: That's sad, but also very relatable. Want to have dinner with me on Thursdays?
A: You'd really do that? I don't want to be a charity case.
B: Not charity at all. I hate cooking for one too. Thursdays, my place.

A: Everyone from the old group has kids now. Nobody's free on weekends anymore.
B: Yeah, it changes things. Do you still hear from them?
A: Group chat, mostly. Lots of baby photos.
B: It's not the same as hanging out. Have you thought about joining a club or something?
A: Maybe. There's a board game night at the library.
B: You should go. Worst case, you play a game. Best case, you meet some new people.

@@ nostalgic
== ED
S: I felt nostalgic when I found my old mixtapes in my parents' attic.
A: I found a box of my old mixtapes in my parents' attic today. I spent hours listening to them on a borrowed player.
B: Oh, that's lovely! Did any songs bring back strong memories?
A: One tape I made the summer I turned sixteen. I remembered every road trip we took that year.
B: Music is amazing like that. It takes you right back.
A: It really does. I could almost smell the sunscreen and the car seats.
B: What a wonderful find. You should digitize them so you never lose those memories.

S: I was nostalgic walking past my old elementary school yesterday.
A: I walked past my old elementary school yesterday. The playground looked so much smaller than I remembered.
B: Isn't it funny how that happens? What memories came back?
A: Playing tag at recess, and the lunch lady who always gave me extra fries.
B: That's sweet. Do you still keep in touch with anyone from back then?
A: Just one friend. I texted her a picture of the school right away.
B: I bet she loved that. Maybe you two should plan a walk down memory lane together.

== EDOS
S: I got nostalgic when I heard the song we used to dance to in high school.
A: Wait, listen. This song. Do you remember this song?
B: How could I forget? Prom night, that terrible gym, your awful tie.
A: My tie was fantastic. We danced to this until they turned the lights on.
B: We were so young. It feels like a hundred years ago.
A: Sometimes I'd give anything to go back, just for one night.
B: We can't go back. But we can still dance. Come on, one more time.

S: I felt nostalgic looking through photos of my grandparents' farm.
A: Look at this one. Grandpa's tractor, and the old red barn.
B: I remember that barn. We used to hide in the hay for hours.
A: And Grandma would ring that bell for dinner. You could hear it across three fields.
B: Her peach pie. I've never tasted anything like it since.
A: I wish we could go back there. Just for one summer.
B: Me too. Let's at least try her recipe this weekend. It's the next best thing.

== OS
A: They're tearing down the old movie theater on Main Street.
B: The one where we saw all those cartoons as kids? No way.
A: Yep. Apparently it's going to be apartments.
B: That's a shame. I still remember the sticky floors and the giant popcorn.
A: I had my first date there. Spilled soda all over her shoes.
B: Ha, classic. Let's go catch one last movie there before it closes.

A: I still have my old game console. Found it while cleaning the closet.
B: The one we played every summer at your place?
A: The very same. Controllers and everything. It still works.
B: No way. Do you still have that racing game we loved?
A: Of course. My save file is still on there from fifteen years ago.
B: Okay, I'm coming over this weekend. I demand a rematch.

@@ prepared
== ED
S: I felt prepared for the hurricane because I'd stocked up on supplies weeks in advance.
A: A hurricane is heading our way, but I stocked up weeks ago. Water, batteries, canned food, everything.
B: That's really smart. A lot of people wait until the last minute.
A: I learned my lesson last year when the stores were totally empty.
B: That must have been stressful. Do you have a plan if you have to evacuate?
A: Yes, bags are packed by the door, and I know the route to my cousin's place.
B: It sounds like you've thought of everything. Stay safe, and let me know if you need anything.

S: I feel ready for my first marathon after months of careful training.
A: My first marathon is on Sunday, and I honestly feel ready. I followed my training plan for five months.
B: Five months of training! That's dedication. How are you feeling physically?
A: Strong. My legs feel good, and I've been sleeping well.
B: That's great to hear. Do you have a pacing strategy for race day?
A: Start slow, stay steady, and save some energy for the last ten kilometers.
B: That sounds like a smart plan. Good luck on Sunday, I'm sure you'll do great.

== EDOS
S: I was prepared when the power went out during the storm.
A: There it goes. The whole street just went dark.
B: Great. And I have no idea where the flashlights are.
A: Top drawer by the sink. Candles too, and matches.
B: Look at you, ready for anything.
A: I charged the power banks this morning, just in case.
B: You're a lifesaver. Okay, board games by candlelight it is.

S: I was ready with a packed bag when my friend went into labor on the way to dinner.
A: Okay, breathe. The bag is in my trunk. I packed it last week.
B: You packed a hospital bag for me? In your car?
A: Of course. Your due date was close. Someone had to think ahead.
B: I could hug you right now. Oh, here comes another one!
A: Hold my hand. The hospital's eight minutes away. You're doing great.
B: Okay. Okay. Just drive, and please don't hit any bumps.

== OS
A: I've got the tent, the stove, and three kinds of bug spray.
B: Three kinds? Are you expecting a swarm?
A: Last time the mosquitoes nearly carried me off. Never again.
B: Fair enough. Did you remember the marshmallows?
A: Two bags. And a backup lighter in case the first one dies.
B: I'm impressed. Okay, I'll just show up and let you run the trip.

A: My notes are color-coded, and I've done every practice exam twice.
B: Wow, you're ready for this test. I've barely opened the book.
A: Want to borrow my notes? I made copies.
B: Seriously? That would save me. Thank you so much.
A: I can quiz you tonight if you want. We'll go over the tricky chapters.
B: That would be amazing. I'll bring coffee, you bring the color-coded magic.

@@ proud
== ED
S: I felt proud when my son became the first in our family to graduate from college.
A: My son just graduated from college. He's the first person in our family ever to get a degree.
B: Congratulations! That's such a big milestone. You must be so proud.
A: I am. I cried through the entire ceremony.
B: Of course you did. What did he study?
A: Nursing. He wants to work on the children's ward.
B: What a meaningful career. He's clearly going to make a real difference, and you helped him get there.

S: I'm proud that I finally quit smoking after ten years.
A: Today marks one year since I quit smoking. I smoked for ten years before that.
B: That's a huge accomplishment! Congratulations. How did you finally do it?
A: Lots of chewing gum and a very patient partner.
B: Ha, both are important. Do you notice a big difference in how you feel?
A: Huge. I can run up the stairs now without losing my breath.
B: That's incredible. You should be really proud of yourself, that takes serious willpower.

== EDOS
S: I felt proud watching my daughter play her first violin recital.
A: Did you hear her? Not a single wrong note.
B: I heard. She was incredible up there.
A: Six months ago she couldn't even hold the bow properly.
B: And she practiced every night. You drove her to every lesson.
A: I'm trying not to cry in front of everyone.
B: Cry all you want. Every parent in this room understands. Go give her a hug.

S: I was proud of myself when I finished building our house with my own hands.
A: That's it. The last nail. It's finished.
B: Two years of weekends, and look at it. You built a home.
A: Every beam, every board. I did that.
B: You did. I'm so proud of you. I never doubted you for a second.
A: Let's go inside. I want to sit in our kitchen for the first time.
B: Lead the way. I'll grab the bottle we've been saving for this day.

== OS
A: So my little sister just got her black belt.
B: No way! Hasn't she been training since she was like seven?
A: Since six, actually. I went to every belt test.
B: That's awesome. You must have been cheering the loudest.
A: I got shushed twice. Totally worth it.
B: Ha, I bet. Tell her congratulations from me, that's a big deal.

A: I finished the bookshelf. It only wobbles a little.
B: You built that from scratch? I thought you were buying one.
A: Nope. Cut every piece myself from the wood in the garage.
B: That's seriously cool. It looks great.
A: Thanks. It's holding all my cookbooks without collapsing, so far.
B: Ha, that's the real test. Honestly, you should be proud, it looks professional.

@@ sad
== ED
S: I was sad when we had to say goodbye to our dog of fourteen years.
A: We had to put our dog down yesterday. He was with us for fourteen years.
B: I'm so sorry for your loss. Fourteen years is a whole lifetime together.
A: He was there through my whole childhood. The house feels so empty now.
B: That's completely understandable. Losing a pet is like losing a family member.
A: I keep expecting to hear him at the door when I get home.
B: That's such a painful part of grief. Be gentle with yourself, and remember all the happy years you gave him.

S: I felt sad when my best friend moved across the country.
A: My best friend moved across the country last week. We'd lived on the same street since we were kids.
B: Oh, that's really hard. It must feel strange without her nearby.
A: It does. I keep walking past her house and seeing a new family there.
B: That would make it sink in. Have you two been able to talk since she left?
A: We talk every night, but it's not the same as sitting on her porch.
B: No, it isn't. Maybe plan a visit soon, so you both have something to count down to.

== EDOS
S: I was heartbroken when my grandmother didn't recognize me anymore.
A: She looked right at me and asked who I was.
B: Oh, sweetheart. Come here. I'm so sorry.
A: She taught me to read. She taught me everything.
B: I know. She's still in there somewhere, even if she can't find the words.
A: I don't know if I can go back in there.
B: Take your time. When you're ready, just hold her hand. She'll feel it, I promise.

S: I felt sad leaving the house I grew up in for the last time.
A: That's the last box. I guess that's it.
B: It's okay to be sad. You spent your whole life here.
A: Every corner of this house has a memory. My height marks are still on the door.
B: Those memories come with you, wherever you go.
A: I know. It just feels like closing a book I'm not done reading.
B: Then think of it as a new chapter. And you can always come back to visit.

== OS
A: They closed the bookstore where I used to work in college.
B: Oh, the one with the cat that slept in the window?
A: That's the one. Nobody knows what happened to the cat.
B: Aw, I hope someone took her home. That place was special.
A: It was. I met half my friends there.
B: That's a real loss. Maybe we can get everyone together and share old stories.

A: Mom's selling the house. She says it's too big for her now.
B: The house you grew up in? That's a big change.
A: Yeah. I know it makes sense. It still feels weird.
B: Of course it does. Are you going to help her pack?
A: This weekend. I'm not sure I'm ready to see my old room empty.
B: Want me to come along? An extra pair of hands, and some company.

@@ sentimental
== ED
S: I got sentimental reading the old love letters my grandparents wrote to each other.
A: I found a shoebox of love letters my grandparents wrote while Grandpa was working abroad. I read them all last night and cried.
B: What a treasure to find. What were the letters like?
A: So tender. Grandpa wrote about the stars he saw and how they reminded him of her eyes.
B: That's beautiful. It's like getting to know them as young people.
A: Exactly. I never imagined Grandpa being so poetic.
B: You should keep those safe forever. Maybe even share a few at the next family gathering.

S: I felt sentimental when I packed away my son's baby clothes.
A: I was packing away my son's baby clothes today, and I got so emotional. He starts kindergarten next week.
B: Oh, that's such a bittersweet moment. Time goes by so quickly.
A: I found the tiny hat he wore home from the hospital. It fits in the palm of my hand.
B: Aww, that's so sweet. Are you keeping some of the clothes?
A: Just a few favorites. The rest will go to my cousin, who's expecting.
B: That's a lovely way to pass them on. And that tiny hat deserves a spot in your memory box.

== EDOS
S: I got sentimental wearing my mother's wedding dress on my own wedding day.
A: It still fits. Mom, it still fits perfectly.
B: You look just like I did, thirty years ago. Just like it.
A: I can still smell your perfume on the lace.
B: Oh, don't make me cry before the ceremony.
A: Too late for me. My mascara is already ruined.
B: Come here. We'll fix it together, just like I used to fix your hair for school.

S: I felt sentimental when my husband showed me he'd kept the ticket from our first date.
A: You kept this? The ticket from our very first movie?
B: Of course I kept it. I've kept everything from that night.
A: We didn't even watch the movie. We talked through the whole thing.
B: And got shushed by that old man in the front row.
A: I can't believe it's been twenty years.
B: Twenty years, and I'd still pick you every single time.

== OS
A: I can't throw out this old jacket. I wore it on every trip for ten years.
B: Even with the torn pocket?
A: Especially with the torn pocket. That happened climbing a fence in Lisbon.
B: Ha, okay, I see why it's special. Maybe patch it up?
A: Maybe. It feels like it has too many stories to end up in a bin.
B: Then keep it. Some things are worth more than the closet space they take.

A: I found the mug you gave me on my first day at the company.
B: The one with the terrible pun on it? You kept that?
A: Of course. I drank from it every day for five years.
B: That's kind of sweet. I didn't think you even liked it.
A: I loved it. It reminded me that someone was glad I was there.
B: Well, I still am. Let's fill it with coffee and catch up.

@@ surprised
== ED
S: I was surprised when my old high school teacher recognized me at the grocery store after fifteen years.
A: My high school English teacher recognized me at the grocery store today. It's been fifteen years!
B: Wow, what a surprise! Did she remember your name too?
A: Not only my name, she remembered an essay I wrote about my grandfather.
B: That's incredible. You must have really made an impression on her.
A: I guess so. She said she still uses it as an example in class.
B: What an honor! That must have made your whole week.

S: I was shocked when I came home and found all my friends throwing me a surprise party.
A: I came home from work yesterday, and all my friends jumped out from behind the couch. I had no idea!
B: A surprise party! Did you suspect anything at all?
A: Not a thing. My roommate told me she was sick so I'd come straight home.
B: Ha, sneaky! How did you react?
A: I screamed and dropped my groceries. Eggs everywhere.
B: That's hilarious. It sounds like your friends pulled off the perfect surprise.

== EDOS
S: I was stunned when my twin brother, who I thought was abroad, knocked on my door.
A: You're supposed to be in Canada! What are you doing here?
B: Surprise! I couldn't miss your birthday again.
A: I literally talked to you on the phone this morning. You said it was snowing!
B: I lied. It was raining at the airport. Aren't you going to let me in?
A: Get in here! I can't believe you pulled this off.
B: Neither can I. Now put the kettle on, I've got so much to tell you.

S: I was surprised to find a note from my late dad hidden in my old math book.
A: Look at this. "Don't give up, kid. You & numbers will be friends one day." It's Dad's handwriting.
B: Oh my goodness. Where did you find that?
A: Tucked inside my old math book. I must have carried it around for years without noticing.
B: He must have hidden it there when you were struggling. That's so like him.
A: I can't believe it's been sitting there all this time.
B: It's like he knew you'd need it someday. Keep it somewhere you'll see it every day.

== OS
A: So the boss called me in and said I'm getting a raise. Just like that.
B: Wait, out of nowhere? What did you say?
A: Honestly? I said <wow> & left. Didn't even say thank you.
B: Ha! Well, you can thank her tomorrow. Is it a big one?
A: Big enough that I'm finally fixing my car.
B: That's fantastic news. You've earned it, even if you forgot the "thank you" part.

A: You'll never guess who just moved in next door. My old college roommate!
B: No way! The one who borrowed your car for a month?
A: The very same. We haven't talked in years.
B: What a small world. Are you going to say hi?
A: I already did. He invited me over for dinner on Friday.
B: That's great! Sounds like a perfect chance to catch up on all those years.

@@ terrified
== ED
S: I was terrified when our plane dropped suddenly during heavy turbulence.
A: On my flight home, the plane suddenly dropped during turbulence. People screamed, and I was absolutely terrified.
B: That sounds horrifying. Was anyone hurt?
A: Thankfully no, but drinks went flying everywhere. I gripped the armrest the whole way down.
B: I'd have been terrified too. How are you feeling about flying now?
A: I have another flight next month, and I'm already dreading it.
B: That's understandable. Maybe look into a course for nervous flyers; lots of people find they really help.

S: I was terrified when I got lost alone in the woods as night was falling.
A: I got lost on a hiking trail last weekend, and it started getting dark. I've never been so terrified.
B: Oh my gosh, that's scary. How did you find your way back?
A: I finally got one bar of signal and called a ranger. They talked me back to the trail.
B: Thank goodness for that. How long were you out there?
A: About three hours, but it felt like a whole night.
B: I'm so glad you're safe. That must have been frightening, so be sure to rest and take it easy.

== EDOS
S: I was terrified when the elevator I was in got stuck between floors.
A: It stopped. Why did it stop? Why is it not moving?
B: Hey, look at me. It's just stuck. It happens all the time.
A: I can't breathe in here. The walls are too close.
B: Slow breaths with me. In through the nose, out through the mouth.
A: Okay. Okay. Are they coming? Did anyone hear the alarm?
B: I pressed it, and someone answered. They're on their way. I'm right here with you.

S: I was terrified when a bear came into our campsite in the middle of the night.
A: Wake up. Please wake up. There's something huge outside the tent.
B: I hear it. Stay calm. I think it's a bear going for the cooler.
A: A bear? Oh no, oh no. What if it comes in here?
B: It wants the food, not us. Stay quiet and still, and it'll leave.
A: I can hear it breathing. I've never been this scared in my life.
B: I know. I'm right here. Hold on to me, we'll get through this together.

== OS
A: The dentist says I need a root canal. Next Tuesday.
B: Ouch. Have you had one before?
A: Never. I've heard the stories, though. My hands are sweating just thinking about it.
B: Honestly, mine wasn't that bad. They numb everything really well.
A: Really? You're not just saying that?
B: I promise. And I'll drive you there and back, so you don't have to worry about that part.

A: So I'm going skydiving on Saturday. My sister booked it for my birthday.
B: That's wild! Are you excited?
A: Excited isn't the word. I haven't slept properly in three days.
B: Ha, that's fair. You'll be strapped to an instructor the whole time, right?
A: Yes, some guy named Ray who's done it two thousand times.
B: Then you're in good hands. Just breathe and enjoy the view, it'll be over before you know it.
"""
