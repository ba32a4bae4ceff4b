"""Words the benchmark data set is made of: names, companies, roles and the phrases of notes.

Kept apart from generate.py so the generator reads as the shape of the data
and this file as its vocabulary.  Everything here is invented; no real person.
"""

from __future__ import annotations

FIRST_NAMES = """
Aaliyah Aarav Abdul Ada Adaeze Adrian Agnieszka Ahmed Aiko Aisha Akira Alba Aleksandr Alejandro
Alex Alice Alicia Amara Amelia Amir Ana Anders Andrea Andrei Angela Anika Anita Ann Anna Antoine
Anya Arjun Astrid Aurora Ava Ayesha Ben Benedikt Bianca Bilal Bo Bram Brian Camila Carla Carlos
Carmen Catalina Chen Chiara Chidi Chloe Chris Clara Connor Dalia Dana Daniel Daniela Darius David
Deepa Diego Dmitri Elena Eli Elif Elijah Elise Emeka Emil Emily Emma Erik Esther Ethan Eva Fatima
Felipe Felix Fernanda Finn Fiona Francesca Gabriel Gabriela Grace Hana Hannah Hassan Helena Hiro
Hugo Ibrahim Ines Ingrid Isaac Isabel Ivan Jakob James Jana Javier Jin Joao Jonas Jordan Jose
Julia Julian Kai Kamala Karim Kate Kavya Kenji Khadija Kim Klara Kofi Lars Laura Layla Lea Leila
Leo Li Liam Lina Lucas Lucia Luis Luka Maja Malik Manuel Marco Maria Mariam Marta Mateo Maya Mei
Mia Michael Miguel Mina Mohammed Nadia Naomi Nathan Neha Nia Nico Nikhil Nina Noah Nora Olga Oliver
Omar Oscar Pablo Paul Pedro Petra Priya Rafael Rahul Ravi Rhea Rosa Ruth Ryo Sam Samira Sana Sara
Sebastian Sergio Shira Simone Sofia Soren Stefan Sunita Tariq Thabo Theo Tomas Uma Valentina Vera
Victor Wei Xin Yara Yasmin Yusuf Zainab Zara Zoe
""".split()

LAST_NAMES = """
Abara Abe Acosta Adeyemi Agarwal Ahmadi Alvarez Andersen Aoki Arslan Bach Bakker Banerjee Barros
Becker Bergstrom Bianchi Blanc Bose Brandt Brennan Byrne Campbell Carvalho Castillo Chakraborty
Chen Cho Costa Cruz Dahl Das Delgado Desai Diallo Dimitrov Dubois Duarte Eriksen Esposito Farah
Fernandes Fischer Fitzgerald Fontaine Fujita Gallagher Garcia Ghosh Gomez Gonzalez Gupta Haddad
Hansen Hartmann Hayashi Herrera Hoffmann Horvath Hughes Ibrahim Ivanova Iyer Jansen Jensen Jimenez
Johansson Kaplan Kapoor Kato Keller Khan Kim Klein Kowalski Kruger Kumar Laine Larsen Lee Lehmann
Lindqvist Lopez Lund Maeda Mahlangu Malik Martin Martinez Meier Mendes Mensah Meyer Mishra Moreau
Morales Moretti Murphy Nakamura Narayan Navarro Nguyen Nielsen Novak Nowak Obi Okafor Okonkwo
Oliveira Olsen Ortiz Osei Otieno Park Patel Pereira Petrov Pham Popescu Quinn Rahman Ramirez Rao
Reddy Reyes Richter Rios Romano Rossi Ruiz Saito Sanchez Santos Sato Schmidt Schneider Schulz Sen
Shah Sharma Silva Singh Sokolov Sorensen Suarez Suzuki Takahashi Tanaka Torres Tran Tshabalala
Vargas Varga Verma Vogel Wagner Walsh Wang Weber Whitfield Wojcik Wu Yamada Yilmaz Yusuf Zhang
Zimmermann
""".split()

ORG_PREFIXES = """
Acorn Aether Alder Alpine Amber Anchor Apex Arbor Arc Argent Aspen Atlas Aurora Azure Basalt Beacon
Birch Blue Bold Boulder Brass Bright Brook Cairn Canopy Cardinal Cascade Cedar Clear Cloud Cobalt
Comet Compass Copper Coral Crest Crystal Cypress Delta Drift Ember Equinox Evergreen Falcon Fern
Field Fjord Flint Forge Frontier Garnet Glacier Granite Harbor Hawthorn Helix Horizon Indigo Iron
Ivy Jade Juniper Kestrel Keystone Lantern Larch Ledger Lighthouse Linden Lumen Lynx Maple Marble
Meadow Meridian Mesa Mint Monarch Mosaic Nimbus Noble North Northwind Nova Oak Obsidian Ocean Onyx
Orbit Orchard Osprey Pacific Paragon Pebble Peak Pine Pioneer Pixel Polar Prairie Prism Quartz
Quill Radiant Rain Raven Redwood Ridge River Rowan Sable Sage Sapphire Sequoia Sierra Signal Silver
Slate Solstice Sparrow Spruce Starling Stone Summit Sun Tandem Tidal Timber Topaz Trail True Tundra
Umber Valley Vector Velvet Verdant Vista Willow Wren Zenith Zephyr
""".split()

ORG_SUFFIXES = """
Analytics Bank Bio Capital Cloud Collective Commerce Consulting Data Design Devices Dynamics Energy
Foods Foundation Games Grid Group Health Industries Insurance Labs Learning Logistics Media Mobility
Networks Partners Pay Power Research Robotics Security Software Solar Studio Systems Technologies
Therapeutics Ventures Works
""".split()

INDUSTRIES = {
    "Analytics": "Software",
    "Bank": "Financial Services",
    "Bio": "Biotechnology",
    "Capital": "Venture Capital",
    "Cloud": "Cloud Computing",
    "Collective": "Non-profit",
    "Commerce": "Retail",
    "Consulting": "Consulting",
    "Data": "Software",
    "Design": "Design",
    "Devices": "Hardware",
    "Dynamics": "Manufacturing",
    "Energy": "Renewable Energy",
    "Foods": "Food & Beverage",
    "Foundation": "Non-profit",
    "Games": "Gaming",
    "Grid": "Utilities",
    "Group": "Consulting",
    "Health": "Healthcare",
    "Industries": "Manufacturing",
    "Insurance": "Insurance",
    "Labs": "Software",
    "Learning": "Education",
    "Logistics": "Logistics",
    "Media": "Media",
    "Mobility": "Transportation",
    "Networks": "Telecommunications",
    "Partners": "Consulting",
    "Pay": "Fintech",
    "Power": "Renewable Energy",
    "Research": "Research",
    "Robotics": "Robotics",
    "Security": "Cybersecurity",
    "Software": "Software",
    "Solar": "Renewable Energy",
    "Studio": "Design",
    "Systems": "Software",
    "Technologies": "Software",
    "Therapeutics": "Biotechnology",
    "Ventures": "Venture Capital",
    "Works": "Manufacturing",
}

SENIORITY = ["", "", "", "Senior ", "Senior ", "Staff ", "Principal ", "Lead ", "Junior "]
FUNCTIONS = [
    "Software Engineer",
    "Software Engineer",
    "Backend Engineer",
    "Frontend Engineer",
    "Platform Engineer",
    "Site Reliability Engineer",
    "Data Engineer",
    "Data Scientist",
    "Machine Learning Engineer",
    "Product Manager",
    "Product Designer",
    "UX Researcher",
    "Security Engineer",
    "Solutions Architect",
    "Developer Advocate",
    "Technical Writer",
    "Recruiter",
    "Technical Recruiter",
    "Analyst",
    "Consultant",
]
LEADERSHIP = [
    "Engineering Manager",
    "Senior Engineering Manager",
    "Director of Engineering",
    "Director of Platform",
    "Head of Infrastructure",
    "VP of Engineering",
    "CTO",
    "Co-founder",
    "Head of Talent",
    "Head of Product",
    "Chief of Staff",
]

CITIES = [
    "Amsterdam",
    "Atlanta",
    "Austin",
    "Bangalore",
    "Barcelona",
    "Berlin",
    "Boston",
    "Chicago",
    "Copenhagen",
    "Denver",
    "Dublin",
    "Hamburg",
    "Lagos",
    "Lisbon",
    "London",
    "Los Angeles",
    "Madrid",
    "Melbourne",
    "Mexico City",
    "Montreal",
    "Munich",
    "Nairobi",
    "New York",
    "Oslo",
    "Paris",
    "Portland",
    "San Francisco",
    "Sao Paulo",
    "Seattle",
    "Seoul",
    "Singapore",
    "Stockholm",
    "Sydney",
    "Tokyo",
    "Toronto",
    "Vancouver",
    "Warsaw",
    "Zurich",
]

TAGS = [
    "mentor",
    "recruiter",
    "hiring-manager",
    "alumni",
    "platform",
    "climate",
    "berlin",
    "speaker",
    "investor",
    "former-colleague",
    "community",
    "open-source",
    "data",
    "design",
    "founder",
    "referral",
]

TOPICS = [
    "platform engineering",
    "the paved road",
    "Kubernetes migrations",
    "developer experience",
    "on-call rotations",
    "incident reviews",
    "the move into management",
    "staff-plus career paths",
    "hiring loops",
    "system design interviews",
    "carbon accounting",
    "grid-scale batteries",
    "observability budgets",
    "the reorg",
    "remote team rituals",
    "promotion packets",
    "salary bands",
    "equity refreshers",
    "the Series B",
    "their conference talk",
    "open-source maintenance",
    "mentoring juniors",
    "one-on-ones",
    "technical strategy documents",
    "build versus buy",
    "the data platform rewrite",
    "SRE practices",
    "team topologies",
    "relocating to Berlin",
    "visa sponsorship",
    "parental leave policies",
    "Rust adoption",
    "Python packaging",
    "LLM tooling",
    "security reviews",
    "quarterly planning",
    "budget season",
    "the layoffs",
    "a sabbatical",
    "climate tech funding",
]

BOOKS = [
    "An Elegant Puzzle",
    "The Manager's Path",
    "Staff Engineer",
    "Team Topologies",
    "Accelerate",
    "Radical Candor",
    "The Making of a Manager",
    "Drive",
    "High Output Management",
    "Thinking in Systems",
    "Resilient Management",
    "Designing Data-Intensive Applications",
]

CHANNEL_SUMMARIES = {
    "coffee": ["Coffee about {topic}", "Coffee catch-up", "Coffee near their office"],
    "call": ["Call about {topic}", "Quick call", "Phone catch-up about {topic}"],
    "video": ["Video call on {topic}", "Zoom about {topic}", "Video catch-up"],
    "email": ["Email about {topic}", "Sent notes on {topic}", "Email intro"],
    "meeting": ["Lunch about {topic}", "Met at their office", "Walk and talk about {topic}"],
    "message": ["LinkedIn message about {topic}", "Message thread", "Slack DMs about {topic}"],
    "event": ["Chatted at {city} meetup", "Met again at the conference", "Panel after-party"],
}

SENTENCES = [
    "We talked about {topic} and how {org} handles it.",
    "{first} is thinking about {topic} and asked what worked for us.",
    "They recommended reading {book}.",
    "{first} said the {role} opening at {org} is still not posted publicly.",
    "Asked about the hiring process at {org}: {n} rounds, a system design round and a take-home.",
    "Gave feedback on their resume for {role} roles.",
    "They mentioned the team is hiring in {city} next quarter.",
    "Offered to introduce me to someone who leads {topic} at {org}.",
    "Follow up in {n} weeks once the reorg settles.",
    "Good energy; {first} wants to stay in touch about {topic}.",
    "Their advice: write down the story of {topic} before the interview.",
    "{first} moved from {org} last spring and is still onboarding.",
    "We compared notes on {topic} and {topic2}.",
    "I shared the draft of my strategy document; they pushed back on the timeline.",
    "They are speaking at a {city} meetup about {topic} and asked for feedback on the slides.",
    "Send {first} the article on {topic} we discussed.",
    "They asked for a referral to {org}; I said I would ask around.",
    "The budget for {topic} got cut, so the team is smaller than planned.",
    "{first} thinks the market for {role} roles is picking up again.",
    "Talked kids, travel and {city}; barely any work talk, which was nice.",
    "Their manager is {name}, worth meeting before the {org} loop.",
    "Key point: show impact on {topic}, not just activity.",
]

QUESTIONS = [
    "What does a typical week look like for you?",
    "How did you move from engineer to manager?",
    "What surprised you most about {topic}?",
    "How does {org} decide what the platform team builds?",
    "What would you look for in someone joining your team?",
    "Who else should I talk to about {topic}?",
    "How do you measure success on {topic}?",
    "What do you wish you had known in your first year as a manager?",
    "How do promotions work at {org}?",
]

ADVICE = [
    "Lead with outcomes, not tools.",
    "Find a sponsor, not just a mentor.",
    "Volunteer for the incident review nobody wants to run.",
    "Write a one-page strategy for {topic} and share it widely.",
    "Ask your manager for a small team to lead for one quarter.",
    "Read {book} before the next round.",
    "Talk to {name}; they hired for this role last year.",
    "Keep a brag document, updated every Friday.",
    "Do not undersell the migration work; it is exactly what they need.",
]

EVENT_PATTERNS = [
    ("{city} Platform Engineering Meetup", "meetup"),
    ("{topic_title} Summit {year}", "conference"),
    ("{city} Tech Leads Breakfast", "meetup"),
    ("ClimateTech {city} {year}", "conference"),
    ("Workshop: {topic_title}", "workshop"),
    ("Webinar: {topic_title}", "webinar"),
    ("{city} Engineering Career Fair {year}", "career-fair"),
    ("SREcon {city} {year}", "conference"),
    ("PyCon {city} {year}", "conference"),
    ("Women in Tech {city}", "meetup"),
    ("Staff+ Forum {city}", "meetup"),
    ("LeadDev {city} {year}", "conference"),
]

FOLLOWUP_TITLES = [
    "Send {first} the article on {topic}",
    "Thank {first} for the intro",
    "Ask {first} about the {role} opening",
    "Check in with {first} after the reorg",
    "Share my talk slides with {first}",
    "Congratulate {first} on the new role",
    "Introduce {first} to {name}",
    "Reply to {first} about {topic}",
    "Book coffee with {first}",
    "Send {first} a thank-you for the interview",
    "Follow up with {first} on the referral to {org}",
    "Wish {first} a happy birthday",
]

RECURRING_TITLES = [
    ("Monthly check-in with {first}", "FREQ=MONTHLY"),
    ("Weekly mentoring session with {first}", "FREQ=WEEKLY"),
    ("Quarterly catch-up with {first}", "FREQ=MONTHLY;INTERVAL=3"),
    ("Wish {first} a happy birthday", "FREQ=YEARLY"),
    ("Every other Monday sync with {first}", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"),
]

GOALS = [
    ("Lead a platform team by 2027", "long", None),
    ("Five informational interviews with platform EMs", "short", 0),
    ("Finish the new-manager course", "short", 0),
    ("Shadow an engineering manager for a quarter", "short", 0),
    ("Give a talk at a regional conference", "short", None),
    ("Submit two conference proposals", "short", 4),
    ("Publish three articles on platform work", "short", 4),
    ("VP of Engineering at a climate company", "long", None),
    ("Meet ten people working in climate tech", "short", 7),
    ("Learn the economics of grid storage", "short", 7),
    ("Build a peer network in Berlin", "long", None),
    ("German to B2 level", "short", 10),
    ("Find a sponsor at the next company", "short", None),
    ("Mentor two junior engineers", "short", None),
    ("Become a staff engineer", "long", None),
    ("Write the platform strategy document", "short", 14),
    ("Lead a cross-team migration", "short", 14),
    ("Join an open-source steering group", "long", None),
    ("Contribute to a packaging PEP", "short", 17),
    ("Angel invest in one climate startup", "long", None),
    ("Keep in touch with former teammates", "short", None),
    ("Hire a senior SRE", "short", None),
    ("Relocate to Europe", "long", None),
    ("Take a three-month sabbatical", "long", None),
    ("Run the local platform meetup", "short", None),
]

LINK_ROLES = ["mentor", "sponsor", "referrer", "hiring-manager", "peer", "other", ""]
HOW_MET = [
    "Worked together at {org}",
    "Met at a {city} meetup",
    "Same university cohort",
    "Introduced over email",
    "Reached out on LinkedIn",
    "Sat next to each other at a conference",
    "Open-source collaborator",
    "Former manager",
    "Interviewed me at {org}",
]
